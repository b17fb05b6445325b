"""Every file under tests/fixtures/ is used by a test: named in a test module's text, or
matched by a file-name pattern with a fixed start that one gives to `glob` (such as
"arxiv_*.xml"). A recording nobody reads only looks like coverage."""

import re
from fnmatch import fnmatch
from pathlib import Path

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
PATTERN = re.compile(r"""["']([\w.-]+\*[\w.*-]*)["']""")


def unused_fixtures(fixtures: Path, texts: list[str]) -> list[str]:
    text = "\n".join(texts)
    patterns = set(PATTERN.findall(text))
    return sorted(
        path.relative_to(fixtures).as_posix()
        for path in fixtures.rglob("*")
        if path.is_file() and path.name not in text and not any(fnmatch(path.name, pattern) for pattern in patterns)
    )


def test_every_fixture_is_used_by_a_test():
    texts = [
        path.read_text(encoding="utf-8") for path in sorted(TESTS.glob("*.py")) if path.name != Path(__file__).name
    ]
    assert unused_fixtures(FIXTURES, texts) == []


def test_an_unused_fixture_is_found(tmp_path):
    for name in ("example/day.json", "real-api/arxiv_a.xml", "real-api/x_unused.json", "real-api/hn.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    texts = ['load("day.json")', 'REAL.glob("arxiv_*.xml")', 'sorted(site.rglob("*"))', 'glob("*.json")']
    assert unused_fixtures(tmp_path, texts) == ["real-api/hn.json", "real-api/x_unused.json"]
