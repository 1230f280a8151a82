"""Messages of rule packs, scoring, the pipeline, history and reports in both languages.

Each bad input is run in English and in Chinese: the same exit code, the same location (file:line:column and
key path, or the file), today's English in en, Chinese (and no English prose) in zh. Findings keep their
codes in both languages; their messages follow the language. The suite runs in English (tests/conftest.py);
these tests say the language of each run themselves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from evalengine import i18n
from evalengine.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zunhua-2024"
BROKEN = ROOT / "tests" / "packs" / "broken"
CJK = re.compile(r"[\u4e00-\u9fff]")
PROSE = re.compile(r"\b[a-z]{2,} [a-z]{2,} [a-z]{2,}\b")  # three English words in a row


@pytest.fixture(autouse=True)
def _speak_the_suites_language_afterwards() -> Iterator[None]:
    """A run with --lang leaves its language behind for library calls: go back to the suite's (English)."""
    yield
    i18n.set_language(None)


def run(lang: str, *args: str | Path) -> Result:
    return CliRunner().invoke(main, [*(str(a) for a in args), "--lang", lang])


def _tier_for_a_number(tmp_path: Path) -> Path:
    """The example's actuals with a tier given for a quantitative target (≥95%): a scoring error."""
    (tmp_path / "targets.yaml").write_bytes((EXAMPLE / "targets.yaml").read_bytes())
    text = (EXAMPLE / "actuals.yaml").read_text(encoding="utf-8")
    path = tmp_path / "actuals.yaml"
    path.write_text(text.replace("补助覆盖率(%): 96%", "补助覆盖率(%): {tier: 达成}", 1), encoding="utf-8")
    return path


# (arguments, the location both languages show, English as today, Chinese)
CASES = [
    (
        ("rules", "show", BROKEN / "weights-99.yaml"),
        f"{BROKEN / 'weights-99.yaml'}:5:1 (weights): ",
        "weights must sum to 100, but execution 10 + 产出指标 49 + 效益指标 30 + 满意度指标 10 = 99",
        "分值合计须为 100，但 execution 10 + 产出指标 49 + 效益指标 30 + 满意度指标 10 = 99",
    ),
    (
        ("rules", "show", BROKEN / "percent-without-sign.yaml"),
        f"{BROKEN / 'percent-without-sign.yaml'}:6:3 (over_achievement.threshold): ",
        "expected a percentage such as 80%, found '130'\n  hint: write the % sign",
        "应为百分数（如 80%），实为 '130'\n  提示：请写上 % 号",
    ),
    (
        ("rules", "show", BROKEN / "cycle-a.yaml"),
        f"{BROKEN / 'cycle-a.yaml'}: ",
        "extends: forms a cycle: cycle-a.yaml -> cycle-b.yaml -> cycle-a.yaml",
        "extends: 形成了循环继承：cycle-a.yaml -> cycle-b.yaml -> cycle-a.yaml",
    ),
    (
        ("score", "{actuals}"),
        "actuals.yaml:14:7 (projects[0].indicators.补助覆盖率(%)): ",
        "project 13028124P00091910001P: indicator '补助覆盖率(%)' (target ≥95%): this target is quantitative: "
        "give the actual value, not a tier or a score",
        "项目 13028124P00091910001P：指标“补助覆盖率(%)”（指标值 ≥95%）：该指标值是定量的：请填写实际完成值，"
        "而不是档次或得分",
    ),
    (
        ("history", "list", "--history", "{tmp}/none.sqlite"),
        "none.sqlite: ",
        "no history file here\n  hint: record a year first",
        "此处没有历史库\n  提示：请先记录一个年度",
    ),
    (
        ("score", "{actuals}", "--rules", "no-such-pack"),
        "",
        "no built-in pack or file named 'no-such-pack'\n  hint: built-in packs: ",
        "没有名为“no-such-pack”的内置规则包或文件\n  提示：内置规则包：",
    ),
]


@pytest.mark.parametrize(("args", "where", "english", "chinese"), CASES, ids=lambda v: None)
def test_bad_input_in_both_languages(
    args: tuple[str | Path, ...], where: str, english: str, chinese: str, tmp_path: Path
) -> None:
    actuals = _tier_for_a_number(tmp_path)
    filled = [str(a).replace("{actuals}", str(actuals)).replace("{tmp}", str(tmp_path)) for a in args]
    en, zh = run("en", *filled), run("zh", *filled)
    assert en.exit_code == zh.exit_code == 2, en.output + zh.output
    assert "Traceback" not in en.output + zh.output
    assert en.stderr.startswith("error: ") and zh.stderr.startswith("错误：")
    assert where in en.stderr and where in zh.stderr  # the same location, in the same form
    assert english in en.stderr
    assert chinese in zh.stderr
    # in Chinese, English words are left only in the user's data: paths, key names and the command line
    said = zh.stderr.replace(str(tmp_path), "").replace(str(ROOT), "")
    assert not PROSE.search(said.replace("evalengine score actuals.yaml --record --history", "")), zh.stderr


def test_findings_keep_their_codes_and_speak_the_language() -> None:
    en = run("en", "score", EXAMPLE / "actuals.yaml", "--format", "json")
    zh = run("zh", "score", EXAMPLE / "actuals.yaml", "--format", "json")
    assert en.exit_code == zh.exit_code == 0
    found = {
        lang: [
            (p["code"], f["code"], f["indicator"], f["message"])
            for p in json.loads(r.stdout)["projects"]
            for f in p["findings"]
        ]
        for lang, r in (("en", en), ("zh", zh))
    }
    assert [f[:3] for f in found["en"]] == [f[:3] for f in found["zh"]]  # codes and indicators do not change
    messages = {lang: {(f[1], f[2]): f[3] for f in found[lang]} for lang in found}
    key = ("missing-explanation", "督导项目建设次数")
    assert messages["en"][key] == "督导项目建设次数 scored 8.33, below its weight 12.50: fill in the explanation"
    assert messages["zh"][key] == "督导项目建设次数得分8.33低于分值12.50，须填写偏差原因分析及改进措施"
    summary = ("missing-summary", None)
    assert messages["en"][summary].startswith("the year's overall goals have no actual results (summary:)")
    assert messages["zh"][summary] == "缺少年度总体目标的实际完成情况（summary:），自评表中该栏为空"
    for message in messages["zh"].values():
        assert CJK.search(message) and not PROSE.search(message), message


def test_a_year_recorded_in_one_language_replays_in_the_other(tmp_path: Path) -> None:
    """Findings' messages are recorded as they were said: replay compares them in either language."""
    db = tmp_path / "h.sqlite"
    recorded = run("zh", "score", EXAMPLE / "history" / "2023" / "actuals.yaml", "--record", "--history", db)
    assert recorded.exit_code == 0, recorded.output
    for lang, same in (("en", "12 projects, exactly as recorded."), ("zh", "12个项目，与记录完全一致。")):
        replayed = run(lang, "history", "replay", "2023", "--history", db)
        assert replayed.exit_code == 0, replayed.output
        assert same in replayed.stdout
