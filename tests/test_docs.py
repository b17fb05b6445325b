"""The README and --help stay honest about the commands (after sqlite-utils' test_docs)."""

import re
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import msgspec
import pytest
import yaml
from click.testing import CliRunner

from conftest import EXAMPLE_SNAPSHOT, make_config, make_mention, make_paper, make_snapshot
from hotpapers.cli import cli
from hotpapers.errors import InputError
from hotpapers.models import PlatformTotals, RankedPaper
from hotpapers.profiles import PROFILES
from hotpapers.render import PostRenderer
from hotpapers.site_workflow import WORKFLOW_NAME, nightly_schedule
from hotpapers.snapshot import save_snapshot
from hotpapers.snapshot_schema import packaged_schema
from hotpapers.sources import SOURCES
from test_consumers import jekyll_build, require

REPO = Path(__file__).parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
CI_RUN = (REPO / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_is_in_the_readme(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and ("--config" in result.output or name == "init")  # init reads no config
    assert f"`hotpapers {name}" in README


COMMANDS_DOC = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_docs_commands_names_every_option_of_every_command(name):
    """docs/commands.md is where the README sends a user for a command's options: each
    command has its section there, whose synopsis names every option `--help` lists."""
    section = re.search(rf"^## {name}\n([\s\S]*?)(?=^## |\Z)", COMMANDS_DOC, flags=re.MULTILINE)
    assert section, f"docs/commands.md has no section for {name}"
    synopsis = re.search(rf"^`hotpapers {name}( [^`]*)?`$", section[1], flags=re.MULTILINE)
    assert synopsis, f"docs/commands.md's {name} section has no synopsis line"
    named = set(re.findall(r"(?<![\w-])-{1,2}[\w-]+", synopsis[0]))
    options = [param.opts for param in cli.commands[name].params if param.opts[0].startswith("-")]
    assert [opts for opts in options if not named & set(opts) and "--config" not in opts] == []


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_docs_commands_gives_each_option_default_as_the_command_has_it(name):
    """docs/commands.md gives an option's default in parentheses (`--port P` ... (default
    8000), `--min-ratio R` ... R (0.25)): each shown in `--help` must be there, as it is."""
    section = " ".join(COMMANDS_DOC.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0].split())
    for param in cli.commands[name].params:
        if getattr(param, "show_default", False):
            assert re.search(rf"\((?:default )?{re.escape(str(param.default))}\b", section), (name, param.opts)


def test_every_option_defaulting_to_yesterday_says_in_which_time_zone():
    """Yesterday is the configured `timezone`'s, not the machine's: a help that says only
    "yesterday" misleads a site whose time zone is ahead of its machine's (check --until did)."""
    helps = [param.help for command in cli.commands.values() for param in command.params if hasattr(param, "help")]
    said = [help for help in helps if help and "yesterday" in help.lower()]
    assert len(said) >= 4 and [help for help in said if "yesterday in the configured time zone" not in help] == []


def _declared_default(key: str) -> object:
    """The built-in default of a config key named by its dotted path; None when it names no key."""
    node: object = make_config()
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
    return node


def test_the_defaults_the_docs_give_beside_a_key_are_the_declared_ones():
    """A default written beside its key (`repair_days` (3), `sources.twitter.max_posts`
    (5,000)) is what a user takes for the truth: each must be the declared default."""
    said = []
    for page in DOCS:
        text = " ".join(page.read_text(encoding="utf-8").split())
        for key, number in re.findall(r"`([a-z_]+(?:\.[a-z_]+)*)`\*{0,2} \((?:default:? )?(\d[\d,.]*\d|\d)\b", text):
            default = _declared_default(key)
            if isinstance(default, int | float) and not isinstance(default, bool):
                said.append(key)
                assert float(number.replace(",", "")) == default, f"{page.name}: `{key}` ({number}), declared {default}"
    assert {"repair_days", "sources.twitter.max_posts", "ranking.min_paper_score"} <= set(said)


def test_ci_runs_the_readme_test_command():
    test_command = re.search(r"Run the checks and the tests[\s\S]*?:\n\n```sh\n(.+)\n```", README).group(1)
    assert test_command in CI_RUN.splitlines()


def test_readme_main_command_builds_the_sample_day():
    assert "pip install . && hotpapers build --date 2020-09-24" in README


def test_the_readme_says_what_its_first_command_prints(site):
    """A newcomer's first command also printed 'feeds: off until site.url ... is set', which
    the README did not mention, so it read as something gone wrong: each line it prints
    besides the day's own is quoted where the README describes its output."""
    said = re.sub(r"\s+", " ", README.split("## Try it", 1)[1].split("Run the checks and the tests", 1)[0])
    command = re.search(r"pip install \. && hotpapers (build [^\n`]+)", README).group(1).split()
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 0, result.output
    others = [line for line in result.output.splitlines() if not line.startswith("2020-09-24: ")]
    assert others, "the first command prints only the day's line: the test's premise is gone"
    for line in others:
        assert f"`{line.split(';', 1)[0]}`" in said, line


def test_the_readme_names_the_python_the_package_needs():
    """A new user on an older Python learnt it only from pip's refusal."""
    needs = msgspec.toml.decode((REPO / "pyproject.toml").read_bytes())["project"]["requires-python"]
    assert needs.startswith(">=")
    assert f"Python {needs.removeprefix('>=')} or later" in README.split("## Try it", 1)[1].split("```", 1)[0]


def test_the_nightly_workflow_is_ready_to_use():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "nightly.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    minute, _hour, *rest = triggers["schedule"][0]["cron"].split()
    assert int(minute) % 2 == 1 and rest == ["*", "*", "*"]
    assert triggers["workflow_dispatch"]["inputs"]["date"]["required"] is False
    assert workflow["concurrency"]["group"] and workflow["permissions"] == {"contents": "write"}
    script = "\n".join(step.get("run", "") for step in workflow["jobs"]["build"]["steps"])
    assert 'hotpapers build ${DAY:+--date "$DAY"}' in script
    assert "if git diff --cached --quiet; then" in script and "git push" in script
    assert "hotpapers check" in script
    commit = next(step for step in workflow["jobs"]["build"]["steps"] if "git push" in step.get("run", ""))
    assert commit["if"] == "${{ !cancelled() }}"  # after a failed build: the snapshot of posts X billed is kept


def _anchors(markdown: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#+ (.+)$", markdown, flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


@pytest.mark.parametrize("page", DOCS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_relative_link_resolves(page):
    text = page.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)\s]+)\)", re.sub(r"```[\s\S]*?```|`[^`\n]*`", "", text))
    relative = [link for link in links if not re.match(r"[a-z]+:", link)]
    assert relative, f"{page.name} links nowhere: the pattern is wrong"
    for link in relative:
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        assert target.exists(), f"{page.name}: {link} leads nowhere"
        if anchor and target.suffix == ".md":
            assert anchor in _anchors(target.read_text(encoding="utf-8")), f"{page.name}: no heading for {link}"


def test_the_readme_names_the_workflow_init_writes_and_only_workflows_the_repo_has():
    """It told to copy nightly.yml, 'hotpapers init writes it for you', while init writes hotpapers.yml."""
    sentences = re.split(r"(?<=[.;:])\s", re.sub(r"\s+", " ", README))
    said_written = [s for s in sentences if "`hotpapers init` writes" in s and ".github/workflows/" in s]
    assert said_written, "the README no longer says which workflow init writes: the pattern is wrong"
    for sentence in said_written:
        assert set(re.findall(r"\.github/workflows/[\w.-]+", sentence)) == {WORKFLOW_NAME}, sentence
    for path in set(re.findall(r"\.github/workflows/[\w.-]+\.yml", README)) - {WORKFLOW_NAME}:
        assert (REPO / path).is_file(), path


def test_preview_says_whose_parsers_it_reads_as_and_that_jekylls_differs():
    """`preview` reads CommonMark: Gatsby's remark and Hugo's goldmark, not Jekyll's kramdown."""
    help_text = " ".join(CliRunner().invoke(cli, ["preview", "--help"]).output.split())
    row = next(line for line in README.splitlines() if line.startswith("| `hotpapers preview"))
    section = " ".join(COMMANDS_DOC.split("\n## preview\n", 1)[1].split("\n## ", 1)[0].split())
    for text in (help_text, row, section):
        assert "CommonMark, as Gatsby's and Hugo's parsers read it" in text
        assert "Jekyll's kramdown is not CommonMark and can read a post otherwise" in text
        assert "the sites' parsers" not in text and "sites' own parsers" not in text


SNAPSHOT_DOC = (REPO / "docs" / "snapshot.md").read_text(encoding="utf-8")


def _named(sentence_start: str) -> set[str]:
    """The `names` in the sentence (or clause) of docs/snapshot.md that starts so."""
    found = re.search(re.escape(sentence_start) + r"[^.;]*[.;]", re.sub(r"\s+", " ", SNAPSHOT_DOC))
    assert found, f"docs/snapshot.md no longer says {sentence_start!r}: the pattern is wrong"
    return set(re.findall(r"`(\w+)`", found.group()))


def test_the_snapshot_doc_s_minimal_file_builds_a_post_as_it_says(tmp_path, monkeypatch):
    """A lab starts from the minimal file, which no test read: 'write a file in this format
    to `data/snapshots/DAY.json` and run `hotpapers build --date DAY --offline`'."""
    minimal = SNAPSHOT_DOC.split("## A minimal file", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    day = msgspec.json.decode(minimal)["date"]
    (tmp_path / "data" / "snapshots").mkdir(parents=True)
    (tmp_path / "data" / "snapshots" / f"{day}.json").write_text(minimal, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--date", day, "--offline"])
    assert result.exit_code == 0 and f"{day}: wrote content/posts/{day}---Hot-Papers.md (1 paper)" in result.stderr
    assert "\n# 1. A title\n\nAda Lovelace\n" in (tmp_path / f"content/posts/{day}---Hot-Papers.md").read_text()


def test_the_snapshot_doc_says_which_platforms_are_fetched_embedded_or_brought():
    """A lab importing its Mastodon and Slack counts read nowhere that only X and Bluesky
    embeds are published, nor how a post shows a platform that no source fetches."""
    enum = packaged_schema()["$defs"]["mention"]["properties"]["platform"]["enum"]
    assert _named("Only ") == {name for name, source in SOURCES.items() if source.display.embed_rules}
    assert _named("Mentions from ") == set(enum) - set(SOURCES)


def test_the_snapshot_doc_shows_a_brought_platform_and_an_unknown_id_as_a_build_does(tmp_path, monkeypatch):
    line = re.search(r"\(`(- mastodon: [^`]+)`\)", SNAPSHOT_DOC).group(1)
    warning = re.search(r"`build` warns \(`([^`]+)`\)", SNAPSHOT_DOC).group(1)
    paper = make_paper("2009.00001")
    mastodon = make_mention("1", reposts=30, likes=45, platform="mastodon", observed_at="2026-12-01T06:00:00Z")
    unknown = make_mention("2", paper_ids=("2411.99999",), likes=60, platform="other")
    save_snapshot(
        msgspec.structs.replace(
            make_snapshot([paper], [mastodon, unknown], date="2026-11-30"), taken_at="2026-12-01T06:00:00Z"
        ),
        tmp_path / "data" / "snapshots" / "2026-11-30.json",
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "2026-11-30", "--offline"])
    assert result.exit_code == 0, result.output
    assert warning in result.output
    assert f"\n{line}\n" in (tmp_path / "content" / "posts" / "2026-11-30---Hot-Papers.md").read_text(encoding="utf-8")


def test_the_post_format_doc_names_everything_a_template_sees(tmp_path):
    """A site adding a field to its template found no list of the names and filters it
    may use ('post.author' is undefined; is there a `yaml_string`?)."""
    section = (REPO / "docs" / "post-format.md").read_text(encoding="utf-8").split("### What a template sees")[1]
    section = section.split("\n## ")[0]
    named = set(re.findall(r"`(\w+)`", section))
    renderer = PostRenderer(make_config())
    context: dict[str, object] = {}

    class Spy:
        filename = "spy"

        def render(self, **given):
            context.update(given)
            return ""

    renderer.post_template = Spy()
    with pytest.raises(InputError):  # an empty post is refused after it is rendered
        renderer.render([], make_snapshot([], []))
    filters = set(renderer.env.filters) - set(jinja2.defaults.DEFAULT_FILTERS)
    globals_ = set(renderer.env.globals) - set(jinja2.defaults.DEFAULT_NAMESPACE)
    assert context and filters and globals_ and set(context) | filters | globals_ <= named
    embed = (REPO / "templates" / "embeds" / "generic.html.j2").read_text(encoding="utf-8")
    assert (
        set(name for pair in re.findall(r"\{\{ (\w+) \}\}|\{% if (\w+) %\}", embed) for name in pair if name) <= named
    )


def test_the_post_format_doc_names_every_field_of_a_paper_item_and_of_its_platforms():
    """A template's `item` has an `observed_at` (the time the classic line shows), and so
    does each of its platforms; the page named neither, so a site writing its own time
    line found no field for it."""
    section = (REPO / "docs" / "post-format.md").read_text(encoding="utf-8").split("### What a template sees")[1]
    papers = " ".join(section.split("\n## ")[0].split("- `papers`:", 1)[1].split("\n- ", 1)[0].split())
    item_fields = set(re.findall(r"`item\.(\w+)`", papers))
    platforms = papers.split("`item.platforms`", 1)[1].split(")", 1)[0]
    assert item_fields == set(RankedPaper.__struct_fields__), papers
    assert set(re.findall(r"`(\w+)`", platforms)) == set(PlatformTotals.__struct_fields__), platforms


def test_the_readme_says_that_a_post_edited_by_hand_is_replaced_by_the_next_build_of_its_day(site):
    """A note added by hand to a built post was gone after `build --date D`, without a word,
    and the README said only that build does not touch a post that is up to date."""
    assert CliRunner().invoke(cli, ["build", "2020-09-24", "--offline"]).exit_code == 0
    post = site / "content" / "posts" / "2020-09-24---Hot-Papers.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nEditor's note: read #3 first.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "2020-09-24", "--offline"])
    assert result.exit_code == 0 and "wrote content/posts/2020-09-24---Hot-Papers.md" in result.stderr
    assert "Editor's note" not in post.read_text(encoding="utf-8")
    said = re.sub(r"\s+", " ", README.split("### What `build` will not do", 1)[1].split("\n## ", 1)[0])
    assert "(edited by hand, or written under other settings) is replaced, its changes lost" in said


def test_the_readme_says_when_the_nightly_run_builds_yesterday_late():
    """A cron line is UTC: a site in America/Los_Angeles built at 22:17 the
    evening before, so its 'yesterday' is two days back; nothing said so."""
    text = re.sub(r"\s+", " ", README)
    west, east = map(int, re.search(r"every zone from UTC(-\d+) to UTC\+(\d+), and west of", text).groups())
    cron, zone = re.search(r"\(`(\d+ \d+) \* \* \*` for `([\w/]+)`: 00:17 in winter, 01:17 in summer\)", text).groups()
    assert nightly_schedule(ZoneInfo(zone), date(2026, 12, 2)).startswith(f'cron: "{cron} * * *"')  # init writes it
    minute, hour = map(int, cron.split())
    for offset in range(west, east + 1):  # 06:17 UTC is that day in each zone named
        assert (datetime(2026, 1, 10, 6, 17, tzinfo=UTC) + timedelta(hours=offset)).day == 10
    assert (datetime(2026, 1, 10, 6, 17, tzinfo=UTC) + timedelta(hours=west - 1)).day == 9
    for month in (1, 7):
        late = datetime(2026, month, 10, 6, 17, tzinfo=UTC).astimezone(ZoneInfo(zone))
        moved = datetime(2026, month, 10, hour, minute, tzinfo=UTC).astimezone(ZoneInfo(zone))
        assert late.day == 9 and moved.day == 10 and moved.hour < 3


def test_the_readme_cron_paragraph_says_how_to_silence_each_nightly_warning(tmp_path, monkeypatch):
    """`hotpapers -q build` on a site `init` made, with the free sources alone, warned every
    night that the feeds were off (site.url is unset there): cron mailed it nightly, and
    the README named only the skipped sources as such a mail."""
    paragraph = re.sub(r"\s+", " ", README.split("**cron** on any machine", 1)[1].split("```cron", 1)[0])
    assert CliRunner().invoke(cli, ["init", str(tmp_path), "--profile", "lumen"]).exit_code == 0
    settings = (tmp_path / "hotpapers.yaml").read_text(encoding="utf-8")
    (tmp_path / "hotpapers.yaml").write_text(settings.replace("enabled: true", "enabled: false", 2), encoding="utf-8")
    (tmp_path / "data" / "snapshots").mkdir(parents=True)
    (tmp_path / "data" / "snapshots" / "2020-09-24.json").write_bytes(
        (REPO / "data" / "snapshots" / "2020-09-24.json").read_bytes()
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-24"])
    assert result.exit_code == 0 and result.output, "no nightly warning left: the test's premise is gone"
    for line in result.output.splitlines():
        silencers = re.findall(r"\b(?:site|feeds|sources)\.[\w.]+", line)
        assert silencers and all(f"`{key}`" in paragraph for key in silencers), line


def test_the_post_format_doc_names_the_template_each_profile_writes_with():
    """A Hugo site overriding templates/post.md.j2, the template the README calls the
    classic post, saw its change ignored without a word: Hugo's is post-hugo.md.j2."""
    text = re.sub(r"\s+", " ", (REPO / "docs" / "post-format.md").read_text(encoding="utf-8"))
    said = dict((profile, name) for name, profile in re.findall(r"`(post[\w.-]*\.md\.j2)` for `([\w-]+)`", text))
    assert said == {name: profile.template for name, profile in PROFILES.items()}
    for profile in PROFILES.values():
        assert '{% include "_papers.md.j2" %}' in (REPO / "templates" / profile.template).read_text(encoding="utf-8")


def test_the_architecture_page_names_every_module_and_only_modules_there_are():
    """docs/architecture.md is a newcomer's map of the package: a module added, renamed or
    removed without it would make the map lie."""
    package = REPO / "src" / "hotpapers"
    modules = {path.relative_to(package).as_posix() for path in package.rglob("*.py")}
    page = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:\w+/)*\w+\.py)`", page)) - set(re.findall(r"`(tests/\w+\.py)`", page))
    assert "sources/twitter.py" in modules and "rank.py" in modules  # the walk finds the package
    assert sorted(modules - named) == [], "modules docs/architecture.md does not name"
    assert sorted(named - modules) == [], "modules docs/architecture.md names that do not exist"


def test_modules_stay_small_and_the_command_line_thin():
    """Issue 12: no module over 300 lines, and cli.py, which only parses, calls the
    library and prints, under 250; a module that outgrows it is split by what it does."""
    package = REPO / "src" / "hotpapers"
    lines = {path.relative_to(package).as_posix(): len(path.read_text().splitlines()) for path in package.rglob("*.py")}
    assert lines["cli.py"] > 100 and lines["sources/twitter.py"] > 100  # the walk counts what it should
    assert {name: n for name, n in lines.items() if n > 300} == {}
    assert lines["cli.py"] < 250


def test_the_readme_jekyll_permalink_for_a_site_with_posts_of_its_own_keeps_their_urls(tmp_path, monkeypatch):
    """`permalink: /:slug/` in _config.yml moves every post of a blog to a new URL; the README's
    scoped default gives it to hotpapers' posts alone, as a real `jekyll build` publishes them."""
    require("jekyll", shutil.which("jekyll"))
    section = README.split("### Jekyll\n", 1)[1].split("\n### ", 1)[0]
    settings, scoped = re.findall(r"```yaml\n([\s\S]*?)```", section)
    site_wide = settings.replace("permalink: /:slug/\n", "")
    assert site_wide != settings and "hot-papers" in scoped
    (tmp_path / "_config.yml").write_text(f"title: My blog\n{site_wide}{scoped}", encoding="utf-8")
    (tmp_path / "_layouts").mkdir()
    (tmp_path / "_layouts" / "post.html").write_text("<main>{{ content }}</main>\n", encoding="utf-8")
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2020-09-01-our-news.md").write_text("---\nlayout: post\n---\nNews\n", encoding="utf-8")
    (tmp_path / "data" / "snapshots").mkdir(parents=True)
    shutil.copy(EXAMPLE_SNAPSHOT, tmp_path / "data" / "snapshots" / "2020-09-24.json")
    (tmp_path / "hotpapers.yaml").write_text("output: {profile: jekyll}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    jekyll_build(tmp_path)
    published = sorted(path.relative_to(tmp_path / "_site").as_posix() for path in (tmp_path / "_site").rglob("*.html"))
    assert published == ["2020/09/01/our-news.html", "hot-papers-2020-09-24/index.html"]
