"""The wheel: every module under src/ and each template once, from the top-level
templates/; an installed hotpapers renders the sample post from any folder, and a
site's own template still overrides the bundled one by name."""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLE_POST, EXAMPLE_SNAPSHOT

REPO = Path(__file__).parent.parent


def pip(*args, cwd=None):
    run = subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True, timeout=300, cwd=cwd)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    missing = [name for name in ("setuptools", "wheel") if importlib.util.find_spec(name) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} missing: pip install -e '.[test]' installs them")
        pytest.skip(f"cannot build a wheel without {', '.join(missing)}")
    source = tmp_path_factory.mktemp("source")  # a copy: the build writes build/ and egg-info
    for folder in ("src", "templates"):
        shutil.copytree(REPO / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", str(out), str(source))
    (built,) = out.glob("hotpapers-*.whl")
    return built


def test_the_wheel_holds_every_module_and_each_template_once(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {
        f"hotpapers/{p.relative_to(REPO / 'src' / 'hotpapers').as_posix()}" for p in (REPO / "src").rglob("*.py")
    }
    templates = {
        f"hotpapers/templates/{p.relative_to(REPO / 'templates').as_posix()}"
        for p in (REPO / "templates").rglob("*.j2")
    }
    assert "hotpapers/templates/post.md.j2" in templates and "hotpapers/templates/embeds/twitter.html.j2" in templates
    assert modules <= names and templates <= names
    assert not (REPO / "src" / "hotpapers" / "templates").exists()  # one copy only


def test_an_installed_hotpapers_renders_from_any_folder_and_a_site_template_overrides(wheel, tmp_path):
    lib = tmp_path / "lib"
    pip("install", "--no-deps", "--no-index", "-q", "--target", str(lib), str(wheel))
    env = {**os.environ, "PYTHONPATH": str(lib)}
    command = [sys.executable, "-m", "hotpapers", "render", str(EXAMPLE_SNAPSHOT)]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=elsewhere, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout == EXAMPLE_POST.read_text(encoding="utf-8")
    (elsewhere / "templates").mkdir()
    (elsewhere / "templates" / "_papers.md.j2").write_text(
        "{% for item in papers %}* {{ item.paper.id }}\n{% endfor %}"
    )
    run = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=elsewhere, env=env)
    assert run.returncode == 0, run.stderr
    frontmatter = EXAMPLE_POST.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    ids = re.findall(r"\[abs\]\(https://arxiv\.org/abs/([^)]+)\)", EXAMPLE_POST.read_text(encoding="utf-8"))
    assert len(ids) == 11
    assert run.stdout == frontmatter + "\n---\n" + "".join(f"* {paper}\n" for paper in ids)


def test_an_installed_init_names_the_package_folder_to_copy_a_template_from(wheel, tmp_path):
    """The docs tell a user to start a site's own template from a copy of the bundled one;
    installed, it lies inside the package, which only init's step names."""
    lib = tmp_path / "lib"
    pip("install", "--no-deps", "--no-index", "-q", "--target", str(lib), str(wheel))
    run = subprocess.run(
        [sys.executable, "-m", "hotpapers", "init", "site", "--profile", "hugo"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(lib)},
    )
    assert run.returncode == 0, run.stderr
    assert "copy post-hugo.md.j2 from lib/hotpapers/templates into site/templates and" in run.stdout  # under cwd
    assert (lib / "hotpapers" / "templates" / "post-hugo.md.j2").is_file()
