"""The README's set-up is exactly two commands, and CI runs exactly those; every command it shows runs.

The Chinese README (README.zh-CN.md) is checked the same way, and is kept in step with README.md: the
same sections in the same order, the same code blocks byte for byte. Its commands run in the default
language (Chinese: no EVALENGINE_LANG, no locale), as a reader of the Chinese README runs them.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from evalengine import i18n
from evalengine.cli.app import main

ROOT = Path(__file__).resolve().parent.parent

# Each README and the headings of the sections this test reads in it.
READMES = {
    "README.md": {"setup": "## Set-up", "history": "## History: every scored year kept", "api": "## Python API"},
    "README.zh-CN.md": {"setup": "## 安装与运行", "history": "## 历史库：每个评分年度都留存", "api": "## Python API"},
}
# The language a reader of each README runs its commands in: the suite's English, or nothing chosen (Chinese).
NO_LANGUAGE = {"EVALENGINE_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
ENVIRONMENTS: dict[str, dict[str, str | None]] = {"README.md": {}, "README.zh-CN.md": NO_LANGUAGE}
CODE_BLOCK = re.compile(r"^```\w*\n.*?^```$", flags=re.S | re.M)


def read(readme: str) -> str:
    return (ROOT / readme).read_text(encoding="utf-8")


def section(readme: str, name: str) -> str:
    heading = READMES[readme][name]
    return heading + read(readme).split(heading, 1)[1].split("\n## ", 1)[0]


def setup_commands(readme: str = "README.md") -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section(readme, "setup"), flags=re.S)]


@pytest.mark.parametrize("readme", READMES)
def test_readme_has_two_setup_commands_that_ci_runs(readme: str) -> None:
    commands = setup_commands(readme)
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    assert commands[0].startswith("pip install . && evalengine score examples/")
    assert commands[1] == "pip install '.[test]' && pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in commands:
        assert command in ci


@pytest.mark.parametrize("readme", READMES)
def test_readme_example_paths_exist(readme: str) -> None:
    example = setup_commands(readme)[0].split("evalengine score ", 1)[1].split()[0]
    assert (ROOT / example).is_file()
    assert (ROOT / "docs" / "report.png").is_file()


@pytest.mark.parametrize("readme", READMES)
def test_the_readme_api_example_runs(
    readme: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (code,) = re.findall(r"```python\n(.*?)```", section(readme, "api"), flags=re.S)
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(compile(code, readme, "exec"), namespace)
    printed = capsys.readouterr().out.splitlines()
    assert printed == ["见义勇为专项资金 99.70 优", "5"]
    assert namespace["report"].startswith('{\n  "rules": "mof-2020"')  # type: ignore[attr-defined]
    target = namespace["target"]
    assert target.to_json() == {  # type: ignore[attr-defined]
        "kind": "comparison",
        "op": "<=",
        "value": "4040000",
        "unit": "元",
        "direction": "reverse",
    }
    assert namespace["strict"].pack.name == "hebei-linear"  # type: ignore[attr-defined]


# --- every command the README shows, run as a user would -----------------------------------------

SEED = ROOT.parent / "shared" / "seeds" / "000_751714fef768bc2d.txt"
EXIT = re.compile(r"\bexits? (\d)\b")
PACK = "extends: mof-2020\ntitle: 我的评分规则\n"  # the `my-pack.yaml` an auditor has written
TARGET_LINES = "≤404万元\n12月底之前完成\n只减不增\n≥95%\n"  # the `targets.txt` of one target a line


def readme_commands(history: bool = False, readme: str = "README.md") -> list[tuple[str, int]]:
    """Each `evalengine …` command of the README's sh blocks, with the exit code its comment implies (0
    unless it says `exit N`). `pip install … && evalengine …` runs its evalengine part. The history
    section's commands build on each other (record, then read): they are run apart, in order
    (`history=True` gives only them)."""
    history_section = section(readme, "history")
    text = history_section if history else read(readme).replace(history_section, "")
    out: list[tuple[str, int]] = []
    for block in re.findall(r"^```sh\n(.*?)^```$", text, flags=re.S | re.M):
        for line in filter(None, (raw.strip() for raw in block.splitlines())):
            words = shlex.split(line, comments=True)
            m = EXIT.search(line.partition("  #")[2])
            while words:
                cut = words.index("&&") if "&&" in words else len(words)
                command, words = words[:cut], words[cut + 1 :]
                if command[0] in ("pip", "pytest"):
                    continue
                assert command[0] == "evalengine", f"the README shows a command this test cannot run: {line}"
                out.append((shlex.join(command), int(m.group(1)) if m else 0))
    return out


def workspace(tmp: Path, args: list[str]) -> Path:
    """A copy of the repository's examples and packs, the example's files at the top (where a user
    runs `evalengine score actuals.yaml`), and the files the README assumes the user has."""
    root = tmp / "repo"
    for name in ("examples", "rules"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(ROOT / "examples" / "zunhua-2024", root, dirs_exist_ok=True)
    if SEED.is_file():
        (tmp / "shared" / "seeds").mkdir(parents=True)
        shutil.copy(SEED, tmp / "shared" / "seeds" / SEED.name)
    (root / "my-pack.yaml").write_text(PACK, encoding="utf-8")
    (root / "targets.txt").write_text(TARGET_LINES, encoding="utf-8")
    shutil.copy(ROOT / "templates" / "report.docx", root / "my.docx")  # a province's Word template
    for arg in args:  # a folder of actuals files (city/, province/): the example's folder
        if arg.endswith("/") and not (root / arg).exists():
            shutil.copytree(ROOT / "examples" / "zunhua-2024", root / arg)
    _tables(root, args)
    if "--encoding" in args:  # files saved in that encoding, as the README says
        encoding = args[args.index("--encoding") + 1]
        for path in root.glob("*.yaml"):
            path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    return root


def _tables(root: Path, args: list[str]) -> None:
    """The tables `import` reads in the README: the bundled department's as PDF, Word and a province's
    workbook (tests/fixtures/make_tables.py), and the README's own `my-province.yaml` mapping."""
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
    import make_tables

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for block in re.findall(r"```yaml\n(# ([\w.-]+\.yaml)\n.*?)```", readme, flags=re.S):
        (root / block[1]).write_text(block[0], encoding="utf-8")
    if "targets.docx" in args or "budget.pdf" in args:
        make_tables.department_docx(root / "targets.docx")
    if "budget.pdf" in args:
        if shutil.which("soffice") is None:
            pytest.skip("LibreOffice (soffice) is not installed: no PDF to import")
        (root / "budget.pdf").write_bytes(make_tables.to_pdf(root / "targets.docx", root).read_bytes())
    if "province.xlsx" in args:
        make_tables.split_target_workbook(root / "province.xlsx")
    if "自评表.xlsx" in args:  # a department's own 自评表 in the national layout
        make_tables.mof_2020_workbook(root / "自评表.xlsx")
    if "自评表.docx" in args:
        make_tables.mof_2020_docx(root / "自评表.docx", {"补助覆盖率(%)": "96%"})
    if args[:2] == ["score", "form.xlsx"]:  # the form `init --mapping` wrote, the command before
        made = CliRunner().invoke(
            main, ["init", str(root / "targets.yaml"), "-o", str(root / "form.xlsx"), "--mapping", "mof-2020"]
        )
        assert made.exit_code == 0, made.output


def _expand(args: list[str], root: Path) -> list[str]:
    out: list[str] = []
    for arg in args:
        matches = sorted(str(p.relative_to(root)) for p in root.glob(arg)) if "*" in arg else []
        assert matches or "*" not in arg, f"{arg} matches nothing"
        out += matches or [arg]
    return out


COMMANDS = [(readme, *command) for readme in READMES for command in readme_commands(readme=readme)]


def run_as_its_reader(readme: str, args: list[str]) -> Result:
    """`evalengine ARGS` in the language a reader of `readme` has: English for README.md (the suite's),
    the default (Chinese) for README.zh-CN.md; the language of the process is put back afterwards."""
    try:
        return CliRunner(env=ENVIRONMENTS[readme]).invoke(main, args)
    finally:
        i18n.set_language(None)


@pytest.mark.parametrize("readme", READMES)
def test_the_readme_shows_every_command(readme: str) -> None:
    commands = [c for r, c, _ in COMMANDS if r == readme]
    names = {shlex.split(c)[1] for c in commands}
    assert {"score", "import", "init", "monitor", "parse", "check", "rules"} - {"init"} <= names
    assert len(commands) >= 15


@pytest.mark.parametrize(("readme", "command", "expected"), COMMANDS, ids=[f"{r}:{c}" for r, c, _ in COMMANDS])
def test_every_readme_command_runs(
    readme: str, command: str, expected: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = shlex.split(command)[1:]
    if "../shared/seeds/" in command and not SEED.is_file():
        pytest.skip("the seed text is not beside the repository")
    root = workspace(tmp_path, args)
    monkeypatch.chdir(root)
    result = run_as_its_reader(readme, _expand(args, root))
    assert result.exit_code == expected, f"{command}\n{result.output}"
    assert "Traceback" not in result.output
    if expected == 0 and "-o" in args:
        assert (root / args[args.index("-o") + 1]).is_file()
    if expected == 0 and "-o" not in args:
        assert result.stdout.strip(), f"{command} printed nothing"


@pytest.mark.parametrize("readme", READMES)
def test_the_readme_history_section_runs_as_written(
    readme: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Record 2023, score 2024 with baselines from history, list, show, replay, export: in one workspace, in order."""
    commands = readme_commands(history=True, readme=readme)
    names = [shlex.split(c)[1:3] for c, _ in commands]
    assert ["score", "examples/zunhua-2024/history/2023/actuals.yaml"] == names[0]
    assert [n[1] for n in names[2:]] == ["list", "show", "replay", "export"]
    root = workspace(tmp_path, [])
    monkeypatch.chdir(root)
    outputs = []
    for command, expected in commands:
        result = run_as_its_reader(readme, shlex.split(command)[1:])
        assert result.exit_code == expected, f"{command}\n{result.output}"
        assert "Traceback" not in result.output
        outputs.append(result)
    assert "2023" in outputs[0].stderr and "2024" in outputs[1].stderr  # what was recorded, in either language
    if readme == "README.md":
        assert "recorded 2023" in outputs[0].stderr and "recorded 2024" in outputs[1].stderr
    assert "基线取自2023年记录：4次" in outputs[1].stdout and "| 上年总分 | 同比 |" in outputs[1].stdout
    assert "| 2023 |" in outputs[2].stdout and "| 2024 |" in outputs[2].stdout
    assert "-2.76" in outputs[3].stdout
    replayed = outputs[4].stdout  # README.md runs in English, README.zh-CN.md in the default language
    expected = "12 projects, exactly as recorded." if readme == "README.md" else "12个项目，与记录完全一致。"
    assert expected in replayed
    assert (root / "history.csv").is_file()


# --- the two READMEs in step ----------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")


def headings(readme: str) -> list[str]:
    return re.findall(r"^(#{1,6}) ", CODE_BLOCK.sub("", read(readme)), flags=re.M)


def test_the_two_readmes_have_the_same_sections_and_code_blocks() -> None:
    english, chinese = read("README.md"), read("README.zh-CN.md")
    assert headings("README.md") == headings("README.zh-CN.md")  # the same sections, in the same order
    assert len([h for h in headings("README.md") if h == "##"]) >= 15
    assert CODE_BLOCK.findall(english) == CODE_BLOCK.findall(chinese)  # byte for byte, in the same order
    assert setup_commands("README.md") == setup_commands("README.zh-CN.md")


def test_each_readme_links_to_the_other_on_its_first_lines() -> None:
    assert "中文说明：[README.zh-CN.md](README.zh-CN.md)" in read("README.md").splitlines()[:4]
    assert "English: [README.md](README.md)" in read("README.zh-CN.md").splitlines()[:4]


@pytest.mark.parametrize("readme", READMES)
def test_each_readme_says_how_the_language_is_chosen(readme: str) -> None:
    language = section(readme, "setup").split("\n### ", 1)[1]
    for word in ("--lang zh", "--lang en", "EVALENGINE_LANG", "LC_ALL", "LANG"):
        assert word in language, word
    assert ("else Chinese" in language) if readme == "README.md" else ("都没有时为中文" in language)


def test_the_chinese_readme_is_chinese() -> None:
    """Every paragraph, list item and table row outside the code blocks holds Chinese; links between
    sections point at the Chinese headings."""
    text = CODE_BLOCK.sub("", read("README.zh-CN.md"))
    paragraphs = [p for p in re.split(r"\n\s*\n|\n(?=- |\|)", text) if p.strip() and not p.startswith("|---")]
    english = [p for p in paragraphs if not CJK.search(p) and not p.startswith(("# ", "## Python API", "English:"))]
    assert not english, english
    anchors = re.findall(r"\]\(#([^)]+)\)", text)
    titles = re.findall(r"^#+ (.*)$", text, flags=re.M)
    slugs = {re.sub(r"[^\w\- ]", "", title).strip().lower().replace(" ", "-") for title in titles}
    assert anchors and set(anchors) <= slugs, (anchors, slugs)
