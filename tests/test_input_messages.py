"""The input layer's messages in both languages: bad targets, actuals, YAML, JSON and workbooks read with
`--lang en` and `--lang zh` end the same way (exit code, file, line, column, key path, caret) and say it in
the language asked for: today's English word for word, or Chinese."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from evalengine import i18n
from evalengine.cli.app import main

TARGETS = """\
department: 测试部门
year: 2024
projects:
  - code: P001
    name: 测试项目
    budget: 5
    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 覆盖率, target: "≥95%"}
      - {level1: 产出指标, level2: 时效指标, name: 完成时间, target: 12月底前}
"""

ACTUALS = """\
targets: targets.yaml
year: 2024
projects:
  - code: P001
    execution: {spent: 4.85}
    indicators:
      覆盖率: 96%
"""


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """A run in Chinese leaves the language chosen; the tests after these read English (conftest)."""
    yield
    i18n.set_language(None)


def run(folder: Path, lang: str, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--lang", lang], env={"EVALENGINE_LANG": None}, catch_exceptions=False)


def both(folder: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[Result, Result]:
    monkeypatch.chdir(folder)
    en, zh = run(folder, "en", *args), run(folder, "zh", *args)
    assert en.exit_code == zh.exit_code, (en.stderr, zh.stderr)
    assert "Traceback" not in en.stderr + zh.stderr
    return en, zh


def write(folder: Path, targets: str = TARGETS, actuals: str = ACTUALS) -> None:
    (folder / "targets.yaml").write_text(targets, encoding="utf-8")
    (folder / "actuals.yaml").write_text(actuals, encoding="utf-8")


# (what is broken, the files, the location both languages show, today's English, the Chinese)
CASES = [
    (
        "a target cut short",
        {"targets": TARGETS.replace('target: "≥95%"', 'target: "≥"')},
        ["targets.yaml:8:49 (projects[0].indicators[0].target)", "  ≥\n   ^\n"],
        'cannot read "≥" at column 2: the text ends too early; expected a number',
        "内容提前结束；应为数字",
    ),
    (
        "an unknown project code",
        {"actuals": ACTUALS.replace("code: P001", "code: P00l")},
        ["actuals.yaml:4:5 (projects[0].code)"],
        "unknown project code 'P00l' (did you mean 'P001'?)\n  hint: the targets file has: P001",
        "未知的项目编码“P00l”",
    ),
    (
        "malformed YAML",
        {"actuals": ACTUALS.replace("{spent: 4.85}", "{spent: 4.85")},
        ["actuals.yaml:6:15: "],
        "malformed YAML: did not find expected ',' or '}'\n"
        "  hint: check indentation and that every 'key: value' has a space after the colon",
        "YAML 格式错误：找不到应有的“,”或“}”",
    ),
    (
        "a budget that is no amount",
        {"targets": TARGETS.replace("budget: 5", "budget: 5人")},
        ["targets.yaml:6:5 (projects[0].budget)"],
        "budget: expected an amount of money, found '5人'\n"
        "  hint: write 万元 as a bare number (4.85) or give the unit (48500元)",
        "应为金额",
    ),
    (
        "a cumulative share that is no share",
        {"targets": TARGETS.replace("budget: 5\n", "budget: 5\n    spending_plan: {6月底: 一半}\n")},
        ["targets.yaml:7:21 (projects[0].spending_plan.6月底)"],
        "expected a cumulative share such as 30%, found '一半'",
        "应为累计比例",
    ),
    (
        "a spending plan that is no mapping (an example in braces, written once)",
        {"targets": TARGETS.replace("budget: 5\n", "budget: 5\n    spending_plan: 6月底\n")},
        ["targets.yaml:7:5 (projects[0].spending_plan)"],
        "spending_plan: expected checkpoints with cumulative shares, {6月底: 50%, 12月底: 100%}\n",
        "资金支出计划的各时间点及累计比例，如 {6月底: 50%, 12月底: 100%}\n",
    ),
    (
        "a tier that is none",
        {"actuals": ACTUALS.replace("覆盖率: 96%", "覆盖率: {value: 96%, tier: 大成}")},
        ["actuals.yaml:7:25 (projects[0].indicators.覆盖率.tier)"],
        "tier: '大成' is not a tier (did you mean '达成'?)\n  hint: write 达成, 部分达成 or 未达成",
        "不是档次",
    ),
]


@pytest.mark.parametrize(("why", "files", "where", "english", "chinese"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_input_is_located_alike_and_said_in_the_language_asked(
    why: str,
    files: dict[str, str],
    where: list[str],
    english: str,
    chinese: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write(tmp_path, files.get("targets", TARGETS), files.get("actuals", ACTUALS))
    en, zh = both(tmp_path, monkeypatch, "score", "actuals.yaml")
    assert en.exit_code == 2, en.output
    for place in where:
        assert place in en.stderr and place in zh.stderr, (place, en.stderr, zh.stderr)
    assert english in en.stderr, en.stderr
    assert chinese in zh.stderr, zh.stderr
    # the English prose is gone from the Chinese, user data (names, values, paths, keys) aside
    prose = re.findall(r"[A-Za-z]{4,}(?: [A-Za-z]{2,})+", zh.stderr)
    assert not prose, zh.stderr


def test_a_file_not_in_utf8_is_said_in_both_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path)
    (tmp_path / "actuals.yaml").write_bytes(ACTUALS.encode("gbk"))
    en, zh = both(tmp_path, monkeypatch, "score", "actuals.yaml")
    assert en.exit_code == 2
    assert en.stderr == (
        "error: actuals.yaml:7: file is not UTF-8 (it looks like GBK/GB18030, as Excel and Notepad save on a "
        "Chinese Windows)\n  hint: save the file as UTF-8, or pass --encoding gbk\n"
    )
    assert "actuals.yaml:7: " in zh.stderr and "文件不是 UTF-8 编码" in zh.stderr and "--encoding gbk" in zh.stderr


def test_a_file_that_is_no_workbook_is_said_in_both_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path)
    (tmp_path / "filled.xlsx").write_text("not a workbook", encoding="utf-8")
    en, zh = both(tmp_path, monkeypatch, "score", "filled.xlsx")
    assert en.exit_code == 2
    assert "filled.xlsx: cannot read filled.xlsx as an Excel workbook: it is not an .xlsx file" in en.stderr
    assert "filled.xlsx: 无法将 filled.xlsx 作为 Excel 工作簿读取" in zh.stderr


def test_a_malformed_json_file_is_said_in_both_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path)
    (tmp_path / "actuals.json").write_text('{"targets": "targets.yaml",\n "year" 2024}', encoding="utf-8")
    en, zh = both(tmp_path, monkeypatch, "score", "actuals.json")
    assert en.exit_code == 2
    assert "actuals.json:2:9: malformed JSON: Expecting ':' delimiter" in en.stderr
    assert "actuals.json:2:9: JSON 格式错误：缺少分隔符“:”" in zh.stderr


def test_the_fraction_warning_reads_in_both_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Chinese-only finding of the input layer: its Chinese is as it was, its English new."""
    write(tmp_path, actuals=ACTUALS.replace("覆盖率: 96%", "覆盖率: 0.96"))
    en, zh = both(tmp_path, monkeypatch, "score", "actuals.yaml", "--format", "json")
    assert en.exit_code == 0, en.stderr

    def warning(result: Result) -> str:
        data = json.loads(result.stdout)
        (found,) = [f for f in data["projects"][0]["findings"] if f["code"] == "looks-like-fraction"]
        return str(found["message"])

    assert warning(zh).endswith(
        "实际完成值“0.96”未写%，按0.96%计；看起来是小数，是否应为96%？"
        "（位置：actuals.yaml 第7行 projects[0].indicators.覆盖率）"
    )
    assert warning(en).endswith(
        "the actual value '0.96' has no %, so it is read as 0.96%; it looks like a fraction: was 96% meant? "
        "(at actuals.yaml line 7 projects[0].indicators.覆盖率)"
    )
