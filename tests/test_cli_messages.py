"""The commands' own messages in both languages: bad input gives the same exit code and the same
location in Chinese and in English, today's English with --lang en, and Chinese words otherwise.

Each case runs one command on a bad input of the command line's own (output options, import, init,
parse, check); the messages of the files' contents are tested where they are written.
"""

from __future__ import annotations

import errno
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import ROOT
from openpyxl import Workbook

from evalengine import i18n
from evalengine.authoring.cases import check_indicator
from evalengine.cli.app import main, os_reason
from evalengine.cli.history import DEFAULT, WHERE
from evalengine.cli.score import score
from evalengine.packs.load import load_pack

EXAMPLE = ROOT / "examples" / "zunhua-2024"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _language_of_the_environment() -> Iterator[None]:
    yield
    i18n.set_language(None)  # a Chinese run leaves no Chinese behind for the tests that follow


def _folder(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLE / "targets.yaml", tmp_path / "targets.yaml")
    shutil.copy(EXAMPLE / "actuals.yaml", tmp_path / "actuals.yaml")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "notes.txt").write_text("第一部分\n随便写的一行\n", encoding="utf-8")
    (tmp_path / "targets.txt").write_text("≥95%\n\n≥≥95%\n", encoding="utf-8")
    book = Workbook()
    assert book.active is not None
    book.active["A1"] = "说明"
    book.save(tmp_path / "empty.xlsx")
    return tmp_path


# args, the location (the same in both languages), today's English, and Chinese the run must say
CASES = {
    "output-extension": (
        ["score", "actuals.yaml", "-o", "report.pdf"],
        "report.pdf",
        "report.pdf: cannot tell the report format from its extension; the formats are md, html, json",
        "无法从扩展名判断报告格式",
    ),
    "output-over-input": (
        ["init", "targets.yaml", "-o", "targets.yaml"],
        "targets.yaml",
        "error: targets.yaml: refusing to write the output over one of this run's input files\n"
        "  hint: name another output file with -o",
        "拒绝写入：输出会覆盖本次运行的输入文件\n  提示：请用 -o 指定另一个输出文件",
    ),
    "binary-template": (
        ["review", "targets.yaml", "--format", "xlsx"],
        "--format xlsx",
        "--format xlsx writes a file: give -o review.xlsx",
        "需要写入文件：请加 -o review.xlsx",
    ),
    "init-mapping-yaml": (
        ["init", "targets.yaml", "--mapping", "split-target"],
        "--mapping",
        "--mapping lays out an Excel form: give -o form.xlsx, not a yaml form",
        "Excel 表单：请用 -o form.xlsx，而不是 yaml 表单",
    ),
    "import-old-binary": (
        ["import", "old.xls"],
        "old.xls",
        "error: old.xls: .xls is the old binary format, which evalengine does not read\n"
        "  hint: save it as .xlsx (or: soffice --headless --convert-to xlsx old.xls)",
        "是旧的二进制格式",
    ),
    "import-no-table-text": (
        ["import", "notes.txt"],
        "notes.txt",
        "no project table found: expected the text of a published 绩效目标表",
        "未找到项目表格",
    ),
    "import-no-sheet-with-a-header": (  # each sheet's warning counted, whatever its words
        ["import", "empty.xlsx"],
        "empty.xlsx [Sheet]",
        "no 绩效目标表 found: no sheet has a header row naming 一级指标, 三级指标 and 指标值",
        "没有工作表含有写明一级指标、三级指标和指标值的表头行",
    ),
    "parse-file": (
        ["parse", "--file", "targets.txt"],
        "targets.txt:3: ",
        'targets.txt:3: cannot read "≥≥95%" at column 2',
        "无法读取“≥≥95%”（第 2 列）",
    ),
    "review-year": (
        ["review", "targets.yaml", "--year", "12"],
        "'--year'",
        "expected a year from 1900 to 2200 such as 2024, found '12'",
        "应为 1900 至 2200 之间的年份（如 2024），实际为 '12'",
    ),
    "check-no-pack": (
        ["check", "nopack.yaml"],
        "nopack.yaml",
        "FAIL  read: no such pack file:",
        "失败  读取：规则包文件不存在：",
    ),
}


def _run(args: list[str], lang: str) -> Result:
    return CliRunner().invoke(main, args, env={"EVALENGINE_LANG": lang})


@pytest.mark.parametrize("name", CASES)
def test_bad_input_in_both_languages(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args, location, english, chinese = CASES[name]
    monkeypatch.chdir(_folder(tmp_path))
    en, zh = _run(args, "en"), _run(args, "zh")
    said = {"en": en.stderr + en.stdout, "zh": zh.stderr + zh.stdout}
    assert en.exit_code == zh.exit_code and en.exit_code in (1, 2), said
    assert location in said["en"] and location in said["zh"], said
    assert english in said["en"], said["en"]
    assert chinese in said["zh"] and english not in said["zh"], said["zh"]
    assert "Traceback" not in said["zh"] and not list(tmp_path.glob(".*.tmp"))


def test_progress_lines_follow_the_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_folder(tmp_path))
    en = _run(["score", "actuals.yaml", "-o", "report.md", "--strict"], "en")
    zh = _run(["score", "actuals.yaml", "-o", "report.md", "--strict"], "zh")
    assert en.exit_code == zh.exit_code == 1
    assert "wrote report.md (12 projects, 5 error findings)\nstrict: 5 error findings, exit 1" in en.stderr
    assert "已写入 report.md（12 个项目，5 个错误级问题）\n严格模式：5 个错误级问题，退出码 1" in zh.stderr
    assert _run(["init", "targets.yaml"], "zh").stderr == "表单含 12 个项目，72 个指标\n"
    seed = ROOT.parent / "shared" / "seeds" / "000_751714fef768bc2d.txt"
    if seed.is_file():
        imported = _run(["import", str(seed)], "zh").stderr.splitlines()
        assert imported[0].startswith("已读取 13028124P00") and imported[0].endswith("个指标")
        assert "已读取 12 个项目，72 个指标，预算数合计" in imported[12]


def test_check_names_its_checks_in_the_language_and_json_keeps_them(tmp_path: Path) -> None:
    zh = _run(["check", "mof-2020", "--examples-only"], "zh")
    assert zh.exit_code == 0 and "  通过  校验：分值 10 + 50 + 30 + 10 = 100；" in zh.stdout
    assert "  通过  示例：" in zh.stdout and not re.search(r"[a-z]{3,} [a-z]{3,} [a-z]{3,}", zh.stdout)
    data = json.loads(_run(["check", "mof-2020", "--examples-only", "--format", "json"], "zh").stdout)
    checks = data["packs"][0]["checks"]
    assert [c["name"] for c in checks] == ["validation", "examples"]  # identifiers, as in English
    assert CJK.search(checks[0]["message"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_pack_example_expects_its_error_in_either_language(lang: str) -> None:
    pack = load_pack("mof-2020")
    i18n.set_language(lang)
    for expected in ("cannot read", "无法读取"):
        case = {"target": "≥95%", "actual": "abc", "weight": 10, "error": expected}
        assert check_indicator(pack, case) == []
    wrong = check_indicator(pack, {"target": "≥95%", "actual": "abc", "weight": 10, "error": "no such words"})
    assert len(wrong) == 1 and "'no such words'" in wrong[0]
    assert i18n.language() == lang  # the other language was tried, and this one put back


def test_the_systems_reasons_are_translated_only_as_the_system_words_them() -> None:
    full = OSError(errno.ENOSPC, "No space left on device")
    other = OSError(errno.ENOSPC, "Disk full (another system's words)")
    i18n.set_language("en")
    assert os_reason(full) == "No space left on device" and os_reason(other) == other.strerror
    i18n.set_language("zh")
    assert os_reason(full) == "磁盘空间不足" and os_reason(other) == other.strerror


def test_help_that_names_the_history_file_names_it_as_the_code_does() -> None:
    # help strings are message ids, so they are literals rather than built from DEFAULT
    record = next(p for p in score.params if p.name == "record")
    assert record.help is not None and DEFAULT in record.help and DEFAULT in WHERE


def test_help_breaks_between_chinese_characters_and_keeps_punctuation_with_its_word() -> None:
    from evalengine.cli.wrap import _pieces, columns

    assert _pieces("EVALENGINE_LANG") == ["EVALENGINE_LANG"]  # no wide character: click's own chunk
    assert _pieces("默认：zh（中文）。") == ["默", "认：", "zh", "（中", "文）。"]
    assert columns("默认：zh") == 8 and columns("\033[1mzh\033[0m") == 2
