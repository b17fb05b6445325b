"""The library under the CLI: the README's example runs as written, and the API is
what `__all__` says."""

import re
from pathlib import Path

import hotpapers
from conftest import EXAMPLE_POST

README = Path(__file__).parent.parent / "README.md"


def readme_example() -> str:
    section = README.read_text(encoding="utf-8").split("## Use it from Python", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 1, "the section holds one Python example"
    return blocks[0]


def test_the_readme_example_runs_in_a_site(site, capsys):
    exec(compile(readme_example(), "README.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    first = re.search(r"\]\(https://arxiv.org/abs/([0-9.]+)\)", EXAMPLE_POST.read_text(encoding="utf-8"))[1]
    assert first == "2009.11243" and lines[0] == f"11 papers, led by arXiv:{first} (score 18348)"  # 18348 reposts
    assert lines[1] == "2020-09-24: wrote content/posts/2020-09-24---Hot-Papers.md (11 papers)"
    assert lines[2] == "rank 1" and lines[3] == "[]"
    assert (site / "content/posts/2020-09-24---Hot-Papers.md").read_bytes() == EXAMPLE_POST.read_bytes()


def test_every_name_in_all_is_there():
    assert sorted(hotpapers.__all__) == hotpapers.__all__
    for name in hotpapers.__all__:
        assert getattr(hotpapers, name) is not None
