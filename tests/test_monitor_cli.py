"""`evalengine monitor` end to end: the mid-year example in every format, and bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from bilingual import LANGS, check_messages, inputs_of, invoke
from click.testing import CliRunner, Result

from evalengine.cli.app import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zunhua-2024"
MIDYEAR = EXAMPLE / "monitoring" / "actuals-2024-06.yaml"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["monitor", *args])


def monitor_json(*args: str) -> dict[str, Any]:
    result = run(str(MIDYEAR), "--as-of", "2024-06-30", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_every_colour_worst_first_with_lags() -> None:
    data = monitor_json()
    lights = {p["code"]: p["light"] for p in data["projects"]}
    assert data["summary"]["lights"] == {"red": 4, "yellow": 2, "green": 6, "blue": 0}
    # 铁路护路: 3次 of 4 pro-rated to 2 = 150% is 蓝, but three due indicators have no value yet: 绿, not 蓝
    assert lights["13028124P000912100010"] == "green"
    assert lights["13028124P000915100011"] == "red"  # 招商资金
    order = ["red", "yellow", "green", "blue"]
    shown = [(order.index(p["light"]), order.index(p["spending"]["light"])) for p in data["projects"]]
    assert shown == sorted(shown)  # by the light in the first column, then the spending light
    first = data["projects"][0]  # 体检费: nothing spent by the end of June, 60% planned
    assert first["spending"] == {
        **first["spending"],
        "actual": "0.00",
        "planned": "60.00",
        "lag": "60.00",
        "ratio": "0.00",
        "light": "red",
        "basis": "6月底",
    }


def test_json_contract_of_lights_and_shares() -> None:
    data = monitor_json()
    assert data["as_of"] == "2024-06-30" and data["year"] == 2024 and data["rules"] == "mof-2020"
    for p in data["projects"]:
        assert p["light"] in ("red", "yellow", "green", "blue")
        assert p["spending"]["light"] in ("red", "yellow", "green")
        for key in ("actual", "planned", "lag"):
            float(p["spending"][key])  # decimal strings
            assert p["spending"][key].count(".") == 1 and len(p["spending"][key].split(".")[1]) == 2
        for i in p["indicators"]:
            assert i["light"] in ("red", "yellow", "green", "blue", None)
    insurance = next(p for p in data["projects"] if p["code"] == "13028124P00083610001D")
    assert insurance["spending"]["lag"] == "-40.00"  # paid in full in March: 40 points ahead


def test_a_red_without_cause_and_outlook_is_a_finding() -> None:
    data = monitor_json()
    causes = [
        (p["code"], f["indicator"]) for p in data["projects"] for f in p["findings"] if f["code"] == "missing-cause"
    ]
    assert causes == [("13028124P000915100011", "预算执行进度")]  # 招商资金 spending: every other red explains itself


def test_markdown_and_html_show_chinese_lights() -> None:
    md = run(str(MIDYEAR), "--as-of", "2024-06-30")
    assert md.exit_code == 0
    assert "| 红 | 13028124P00083810002C |" in md.stdout and "蓝灯 0 个" in md.stdout
    html = run(str(MIDYEAR), "--as-of", "2024-06-30", "--format", "html")
    assert html.exit_code == 0 and "light light-blue" in html.stdout and "light-red" in html.stdout


def test_xlsx_has_lights_and_indicators(tmp_path: Path) -> None:
    out = tmp_path / "monitor.xlsx"
    assert run(str(MIDYEAR), "--as-of", "2024-06-30", "-o", str(out)).exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["总览", "指标", "问题"]
    assert [wb["总览"].cell(row=r, column=1).value for r in range(3, 15)].count("红") == 4


def test_interpolated_plan_from_a_pack(tmp_path: Path) -> None:
    pack = tmp_path / "interp.yaml"
    pack.write_text("extends: mof-2020\ntitle: t\nsource: s\nmonitoring: {checkpoint: interpolate}\n", encoding="utf-8")
    data = monitor_json("--rules", str(pack))
    assert {p["spending"]["basis"] for p in data["projects"]} == {"6月底"}  # on a checkpoint: nothing to interpolate
    may = run(str(MIDYEAR), "--as-of", "2024-05-15", "--format", "json", "--rules", str(pack))
    planned = {p["spending"]["planned"] for p in json.loads(may.stdout)["projects"]}
    assert planned == {"44.84"}  # 30 + 30 × 45/91


@pytest.mark.parametrize("lang", LANGS)  # the same exit and locations in Chinese (tests/bilingual.py)
@pytest.mark.parametrize("as_of", ["2025-01-31", "2023-12-31"])
def test_as_of_outside_the_budget_year(as_of: str, lang: str) -> None:
    args = ["monitor", str(MIDYEAR), "--as-of", as_of]
    result = invoke(args, lang)
    assert result.exit_code == 2 and "Traceback" not in result.output
    check_messages(result.stderr, lang, ["outside the budget year 2024", "actuals-2024-06.yaml"], inputs_of(args))


@pytest.mark.parametrize("as_of", ["2024-13-01", "yesterday", "2024-02-30"])
def test_as_of_that_is_not_a_date(as_of: str) -> None:
    result = run(str(MIDYEAR), "--as-of", as_of)
    assert result.exit_code == 2 and "--as-of" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("lang", LANGS)
def test_spending_above_budget_is_a_located_error(tmp_path: Path, lang: str) -> None:
    folder = tmp_path / "ex"
    shutil.copytree(EXAMPLE, folder)
    path = folder / "monitoring" / "actuals-2024-06.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("execution: {spent: 3.2}", "execution: {spent: 32}"), encoding="utf-8"
    )
    out = folder / "m.html"
    args = ["monitor", str(path), "--as-of", "2024-06-30", "-o", str(out)]
    result = invoke(args, lang)
    assert result.exit_code == 2
    fragments = ["above its budget of 5.00万元", "actuals-2024-06.yaml:10"]
    check_messages(result.stderr, lang, fragments, inputs_of("execution: {spent: 32}", args), result.stderr)
    assert not out.exists()


def test_a_bad_outlook_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    folder = tmp_path / "ex"
    shutil.copytree(EXAMPLE, folder)
    path = folder / "monitoring" / "actuals-2024-06.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("outlook: 有可能}", "outlook: 可能}", 1), encoding="utf-8")
    result = run(str(path), "--as-of", "2024-06-30")
    assert result.exit_code == 2 and "outlook: expected one of 确定能 / 有可能 / 完全不可能" in result.stderr


def test_a_project_monitored_twice_in_one_run_is_an_input_error(tmp_path: Path) -> None:
    folder = tmp_path / "ex"
    shutil.copytree(EXAMPLE / "monitoring", folder)
    shutil.copy(EXAMPLE / "targets.yaml", tmp_path)
    shutil.copy(folder / "actuals-2024-06.yaml", folder / "copy.yaml")
    result = run(str(folder), "--as-of", "2024-06-30")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "copy.yaml:10:5 (projects[0]): project 13028124P00091910001P is met twice in this run" in result.stderr
    assert "here and at " in result.stderr and "actuals-2024-06.yaml:10:5 (projects[0])" in result.stderr


def test_a_negative_lag_reads_ahead_and_the_title_of_the_pack_is_shown(tmp_path: Path) -> None:
    md = run(str(MIDYEAR), "--as-of", "2024-06-30").stdout
    data = monitor_json()
    ahead = [p for p in data["projects"] if p["spending"]["lag"].startswith("-")]
    assert ahead, "the example has a project spending ahead of plan"
    for p in ahead:
        assert f"超前 {p['spending']['lag'][1:]} 个百分点" in md
    assert "滞后 -" not in md
    assert "评分规则：全国默认规则（财预〔2020〕10号）（mof-2020）" in md and data["rules_title"]
    out = tmp_path / "m.xlsx"
    run(str(MIDYEAR), "--as-of", "2024-06-30", "-o", str(out))
    ws = openpyxl.load_workbook(out)["总览"]
    lag = next(ws.cell(row=r, column=8) for r in range(3, 15) if (ws.cell(row=r, column=8).value or 0) < 0)
    assert lag.number_format == '0.00;"超前 "0.00'


def test_a_satisfaction_survey_is_not_due_in_june() -> None:
    june = monitor_json()
    notes = [
        (i["name"], i["note"])
        for p in june["projects"]
        for i in p["indicators"]
        if "满意度" in i["level1"] and not i["actual"]  # one survey was taken early and is compared as written
    ]
    assert len(notes) == 11 and all(note == "满意度调查于年末开展，尚未到期" for _, note in notes)
    flagged = {f["indicator"] for p in june["projects"] for f in p["findings"]}
    assert not flagged & {name for name, _ in notes}
    december = run(str(MIDYEAR), "--as-of", "2024-12-31", "--format", "json")
    late = {f["indicator"] for p in json.loads(december.stdout)["projects"] for f in p["findings"]}
    assert {name for name, _ in notes} <= late  # by the year's end a missing survey is a finding again
