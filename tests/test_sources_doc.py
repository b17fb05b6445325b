"""docs/sources.md, done as it says: its example module and registry lines added to a
copy of the repository, nothing else edited there, then its command run. Its test
builds a day from a local stand-in of the platform (fetch, snapshot, post), and the
copy's `hotpapers init`, `explain` and class checks say what the page quotes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hotpapers.profiles import PROFILES
from hotpapers.sources import SOURCES
from hotpapers.sources.base import Source

REPO = Path(__file__).parent.parent
DOC = (REPO / "docs" / "sources.md").read_text(encoding="utf-8")
README = (REPO / "README.md").read_text(encoding="utf-8")
NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", DOC, flags=re.MULTILINE | re.DOTALL)


MODULE, IMPORT, REGISTRY, TEST = blocks("python")
(COMMAND,) = blocks("sh")
(SECTION,) = blocks("yaml")


@pytest.fixture(scope="module")
def contributed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository with the page's source added where the page says."""
    root = tmp_path_factory.mktemp("contributed")
    shutil.copytree(REPO / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "tests" / "fixtures", root / "tests" / "fixtures")
    for path in (REPO / "tests").glob("*.py"):
        shutil.copy(path, root / "tests")
    shutil.copy(REPO / "pyproject.toml", root)
    sources = root / "src" / "hotpapers" / "sources"
    (sources / "mastodon.py").write_text(MODULE, encoding="utf-8")
    registry = (sources / "__init__.py").read_text(encoding="utf-8")
    imports = re.findall(r"^from hotpapers\.sources\.\w+ import \w+\n", registry, flags=re.MULTILINE)
    assert imports and registry.count("\n)\n") == 1, "the registry no longer has the shape the page describes"
    block = "".join(imports)
    assert block in registry, "the registry's imports are no longer one block"
    registry = registry.replace(block, "".join(sorted([*imports, IMPORT])))
    call = REGISTRY.replace("    MastodonSource,\n", "")
    assert call in registry, "the page's registry call is not the package's, with MastodonSource added last"
    registry = registry.replace(call, REGISTRY)
    (sources / "__init__.py").write_text(registry, encoding="utf-8")
    (root / "tests" / "test_mastodon.py").write_text(TEST, encoding="utf-8")
    return root


def run(root: Path, command: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(command, cwd=cwd or root, env=env, capture_output=True, text=True, timeout=300)


def hotpapers(root: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run(root, [sys.executable, "-m", "hotpapers", *args], cwd)


def test_the_pages_source_registered_in_one_line_passes_its_test_and_the_contract(contributed: Path):
    command = COMMAND.split()
    assert command[:3] == ["python", "-m", "pytest"] and "tests/test_mastodon.py" in command
    result = run(
        contributed, [sys.executable, *command[1:], f"--basetemp={contributed / 'runs'}", "-p", "no:cacheprovider"]
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test_mastodon.py ." in result.stdout or re.search(r"\d+ passed", result.stdout)

    (site,) = (path for path in (contributed / "runs").glob("test_a_build_*0") if (path / "hotpapers.yaml").is_file())
    explained = hotpapers(contributed, "explain", "2020-09-24", cwd=site)
    assert explained.returncode == 0, explained.stderr
    quoted = re.search(r"`explain` counts\s+in its words \(`([^`]+)`\)", DOC)
    assert quoted and quoted.group(1) in explained.stdout


def test_the_pages_code_is_as_clean_as_the_projects(contributed: Path):
    files = ["src/hotpapers/sources/mastodon.py", "src/hotpapers/sources/__init__.py", "tests/test_mastodon.py"]
    for check in (["check"], ["format", "--check"]):
        result = run(contributed, [sys.executable, "-m", "ruff", *check, *files])
        assert result.returncode == 0, result.stdout + result.stderr


def test_init_writes_the_section_the_page_shows(contributed: Path, tmp_path: Path):
    result = hotpapers(contributed, "init", str(tmp_path), "--profile", "hugo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert SECTION in (tmp_path / "hotpapers.yaml").read_text(encoding="utf-8")


def test_the_error_for_a_platform_no_snapshot_stores_is_as_quoted():
    quoted = re.search(r"\(`TypeError: ([^`]+?) \.\.\.`\)", re.sub(r"\s+", " ", DOC))
    assert quoted
    with pytest.raises(TypeError) as error:
        type("LobstersSource", (Source,), {"name": "lobsters"})
    assert str(error.value).startswith(quoted.group(1))


def test_the_readme_names_every_registered_source_where_the_page_says():
    """Its row in Sources, and the count of sources enabled by default."""
    assert sorted(re.findall(r"^\| [^|]+ \(`sources\.(\w+)`\) \|", README, flags=re.MULTILINE)) == sorted(SOURCES)
    count = re.search(r"All (\w+) sources are enabled by default", README)
    assert count and count.group(1) == NUMBERS[len(SOURCES)]


def test_the_page_names_the_output_profiles_a_site_step_may_be_for():
    row = re.search(r"^\| `site_steps` \| By output profile \(([^)]*)\)", DOC, flags=re.MULTILINE)
    assert row and re.findall(r"`([\w-]+)`", row.group(1)) == list(PROFILES)
