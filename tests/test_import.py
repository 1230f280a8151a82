"""`evalengine import`: the seed's PDF text becomes exactly the bundled example's targets file."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import yaml
from click.testing import CliRunner
from conftest import SEED, load_compliance

from evalengine.authoring.import_text import import_text
from evalengine.cli.app import main

EXAMPLE_TARGETS = Path(__file__).resolve().parent.parent / "examples" / "zunhua-2024" / "targets.yaml"
SEED_TARGETS = [case["target"] for case in load_compliance("targets.yaml")["seed"]]


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def test_the_seed_gives_12_projects_and_72_indicators_as_printed() -> None:
    imported = import_text(seed_text(), source="seed")
    data = imported.data
    assert imported.warnings == []
    assert imported.notes == ["seed:825: page number 13 passed over"]
    projects = data["projects"]
    assert len(projects) == 12 and sum(len(p["indicators"]) for p in projects) == 72
    assert [i["target"] for p in projects for i in p["indicators"]] == SEED_TARGETS
    assert all(len(p["code"]) == 21 for p in projects)  # the code's last character wrapped onto its own line
    assert projects[5]["name"] == "严重精神障碍患者以奖代补和监护人责任险及服务经费"  # a name wrapped in the PDF
    assert projects[2]["budget"] == {"total": "404.00", "fiscal": "404.00", "other": "0"}
    assert projects[0]["spending_plan"] == {"3月底": "30%", "6月底": "60%", "10月底": "90%", "12月底": "100%"}
    assert projects[0]["goals"] == ["表扬、奖励见义勇为者。", "在全市弘扬见义勇为的风气，树立正确的价值导向。"]
    first = projects[0]["indicators"][0]
    assert first == {
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "补助覆盖率(%)",
        "description": "已补助人数占应补助人群的比率",
        "target": "≥95%",
        "basis": "年初工作计划",
    }
    # the 一级指标 is printed once per group; 成本指标 is a level 2 under 产出 in this layout
    assert [i["level1"] for i in projects[0]["indicators"]] == ["产出指标"] * 4 + ["效益指标", "满意度指标"]
    assert projects[0]["indicators"][3]["level2"] == "成本指标"
    assert projects[6]["indicators"][0]["basis"] == "年初工作计划安排"
    assert data["department"] == {"code": "216001", "name": "中共遵化市委政法委本级"}


def test_part_one_goals_are_read() -> None:
    goals = import_text(seed_text()).data["goals"]
    assert goals["overall"].startswith("坚持以党的二十大精神") and goals["overall"].endswith("公正高效的法治环境。")
    assert [item["title"] for item in goals["items"]] == [
        "加强法治建设",
        "加强平安建设",
        "加强社会治理综合服务中心建设",
        "加强政法队伍建设",
    ]
    assert goals["items"][1]["goal"] == "平安建设工作进入唐山市优秀行列。"
    assert goals["items"][1]["indicators"].endswith("使全市信访工作在唐山市位于先进行列。")
    assert len(goals["measures"]) == 11 and goals["measures"][0].startswith("旗帜鲜明讲政治。")


def test_the_bundled_example_is_the_importers_output(tmp_path: Path) -> None:
    out = tmp_path / "targets.yaml"
    result = CliRunner().invoke(main, ["import", str(SEED), "--year", "2024", "-o", str(out)])
    assert result.exit_code == 0
    assert "read 12 projects, 72 indicators" in result.stderr
    assert out.read_text(encoding="utf-8") == EXAMPLE_TARGETS.read_text(encoding="utf-8"), (
        "examples/zunhua-2024/targets.yaml drifted from the importer: regenerate it with "
        "evalengine import ../shared/seeds/000_751714fef768bc2d.txt --year 2024 --lang en "
        "-o examples/zunhua-2024/targets.yaml"  # its header comment is in English, as the suite runs
    )


def test_the_imported_file_says_where_it_came_from_in_the_language(tmp_path: Path) -> None:
    out = tmp_path / "targets.yaml"
    result = CliRunner().invoke(main, ["import", str(SEED), "--year", "2024", "-o", str(out), "--lang", "zh"])
    assert result.exit_code == 0 and "已读取 12 个项目，72 个指标" in result.stderr
    chinese, english = out.read_text(encoding="utf-8"), EXAMPLE_TARGETS.read_text(encoding="utf-8")
    assert chinese.startswith(f"# 由 `evalengine import` 从 {SEED.name} 导入的绩效目标表：12 个项目，72 个指标。\n")
    assert chinese.split("\n", 2)[2] == english.split("\n", 2)[2]  # the comments differ, the data does not


def test_json_output_has_the_same_content_as_yaml() -> None:
    runner = CliRunner()
    as_json = json.loads(runner.invoke(main, ["import", str(SEED), "--format", "json", "--year", "2024"]).stdout)
    as_yaml = yaml.safe_load(runner.invoke(main, ["import", str(SEED), "--year", "2024"]).stdout)
    assert as_json["year"] == as_yaml["year"] == 2024
    assert [p["code"] for p in as_json["projects"]] == [p["code"] for p in as_yaml["projects"]]
    assert as_json["projects"][3]["indicators"] == as_yaml["projects"][3]["indicators"]


def test_a_line_it_cannot_place_is_reported_with_its_number(tmp_path: Path) -> None:
    source = tmp_path / "noisy.txt"
    lines = seed_text().splitlines()
    number = lines.index("项目名称 招商资金") + 1
    lines.insert(number, "（此行为扫描时混入的页眉）")  # noise inside project 7's header block
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(source), "--strict", "-o", str(tmp_path / "t.yaml")])
    assert result.exit_code == 1
    assert f"noisy.txt:{number + 1}: not placed in 招商资金: （此行为扫描时混入的页眉）" in result.stderr
    assert "read 12 projects, 72 indicators" in result.stderr  # everything else still read


def test_a_target_that_does_not_read_is_reported(tmp_path: Path) -> None:
    source = tmp_path / "bad.txt"
    source.write_text(seed_text().replace("≥610人", "≥610人人", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(source)])
    assert result.exit_code == 0 and "指标值 does not read" in result.stderr


def test_unreadable_sources_exit_2(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["import", str(tmp_path / "none.txt")]).exit_code == 2
    empty = tmp_path / "empty.txt"
    empty.write_text("这不是绩效目标表\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(empty)])
    assert result.exit_code == 2 and "no project table" in result.stderr
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(seed_text().encode("gb18030"))
    assert CliRunner().invoke(main, ["import", str(gbk)]).exit_code == 2
    assert CliRunner().invoke(main, ["import", str(gbk), "--encoding", "gb18030", "--format", "json"]).exit_code == 0


EXAMPLE_ACTUALS = EXAMPLE_TARGETS.parent / "actuals.yaml"


def _import(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["import", *args])
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stderr


def test_a_report_evalengine_wrote_is_not_imported_and_the_message_says_what_is_expected(tmp_path: Path) -> None:
    runner = CliRunner()
    report, lights = tmp_path / "report.xlsx", tmp_path / "lights.xlsx"
    assert runner.invoke(main, ["score", str(EXAMPLE_ACTUALS), "-o", str(report)]).exit_code == 0
    monitoring = EXAMPLE_TARGETS.parent / "monitoring" / "actuals-2024-06.yaml"
    assert runner.invoke(main, ["monitor", str(monitoring), "--as-of", "2024-06-30", "-o", str(lights)]).exit_code == 0
    for path, sheets in ((report, "总览, 1.见义勇为专项资金"), (lights, "总览, 指标, 问题")):
        code, stderr = _import(str(path), "-o", str(tmp_path / "targets.yaml"))
        assert code == 2 and f"{path.name}: this is a report evalengine wrote (sheets {sheets}" in stderr
        assert "import reads a 绩效目标表" in stderr and "一级指标, 二级指标, 三级指标 and 指标值" in stderr
        assert "is this the PDF's text" not in stderr and not (tmp_path / "targets.yaml").exists()


def test_a_form_to_fill_is_scored_not_imported(tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    assert CliRunner().invoke(main, ["init", str(EXAMPLE_TARGETS), "-o", str(form)]).exit_code == 0
    code, stderr = _import(str(form))  # it has every column of a target table: it imported with budgets of 0
    assert code == 2 and "this is a 自评表 form to fill" in stderr and f"evalengine score {form}" in stderr


def test_a_workbook_without_a_target_table_names_each_sheets_problem(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    code, stderr = _import(str(empty))
    assert code == 2 and "no 绩效目标表 found: no sheet has a header row naming 一级指标, 三级指标 and 指标值" in stderr
    assert "empty.xlsx [Sheet]: no indicator table" in stderr and "import reads a 绩效目标表" in stderr
    headless = tmp_path / "headless.xlsx"  # a table, but no 项目编码 or 项目名称 above it
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "表1"
    ws.append(["一级指标", "二级指标", "三级指标", "指标值"])
    ws.append(["产出指标", "数量指标", "覆盖率", "≥95%"])
    wb.save(headless)
    code, stderr = _import(str(headless))
    assert code == 2 and "no sheet holds a project" in stderr
    assert "headless.xlsx [表1]: the header block has no 项目编码 or 项目名称" in stderr


def test_a_text_or_yaml_file_without_tables_says_what_import_reads(tmp_path: Path) -> None:
    code, stderr = _import(str(EXAMPLE_TARGETS))
    assert code == 2 and "expected the text of a published 绩效目标表" in stderr
    assert "a YAML or JSON targets file needs no import" in stderr
    text = tmp_path / "notes.txt"
    text.write_text("会议纪要\n", encoding="utf-8")
    code, stderr = _import(str(text))
    assert code == 2 and "N.<项目名称>绩效目标表" in stderr and "pdftotext" in stderr
