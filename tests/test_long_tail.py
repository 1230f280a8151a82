"""Issue 14 end to end: the long tail of published targets through `parse`, `score` and `monitor`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evalengine.cli.app import main

TARGETS = """\
department: 某县农业农村局
year: 2024
projects:
  - code: 13028124P00000000001P
    name: 动物防疫补助
    budget: 100
    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 免疫牲畜, target: "≥35只"}
      - {level1: 产出指标, level2: 数量指标, name: 新增马匹, target: "≥35匹"}
      - {level1: 产出指标, level2: 质量指标, name: 免疫密度, target: "95%/90%/85%/80%（优/良/中/差）"}
      - {level1: 产出指标, level2: 质量指标, name: 资金偏差率, target: "偏差率±5%以内"}
      - {level1: 产出指标, level2: 时效指标, name: 完成时间, target: "次年3月底前"}
      - {level1: 产出指标, level2: 时效指标, name: 实施期, target: "2024年全年"}
      - {level1: 产出指标, level2: 时效指标, name: 按时完成, target: "按时完成"}
      - {level1: 效益指标, level2: 社会效益指标, name: 群众知晓率, target: "提高3个百分点"}
      - {level1: 效益指标, level2: 社会效益指标, name: 资金使用, target: "专款专用"}
      - {level1: 满意度指标, level2: 服务对象满意度指标, name: 养殖户满意度, target: "≥90百分比"}
"""

ACTUALS = """\
targets: targets.yaml
year: 2024
projects:
  - code: 13028124P00000000001P
    execution: {spent: 96}
    summary: 全年完成免疫任务。
    indicators:
      免疫牲畜: 40只
      新增马匹: 28
      免疫密度: 92%
      资金偏差率: "-3%"
      完成时间: 2025-03-20
      实施期: 12月20日
      按时完成: 如期完成
      群众知晓率: {value: 93%, baseline: 91%}
      资金使用: 达成
      养殖户满意度: {survey: {满意: 45, 较满意: 3, 不满意: 2}}
"""


@pytest.fixture
def department(tmp_path: Path) -> Path:
    (tmp_path / "targets.yaml").write_text(TARGETS, encoding="utf-8")
    actuals = tmp_path / "actuals.yaml"
    actuals.write_text(ACTUALS, encoding="utf-8")
    return actuals


def test_parse_prints_the_forms_of_the_issue() -> None:
    forms = ["≥35只", "95%/90%/85%/80% (优/良/中/差)", "±5%", "提高3个百分点", "次年3月底前", "2024年全年"]
    result = CliRunner().invoke(main, ["parse", "--format", "json", *forms])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["unit"] == "只" and "unit_known" not in lines[0]
    assert lines[1]["grades"][0] == {"grade": "优", "op": ">=", "value": "95", "unit": "%"}
    assert lines[2] == {"input": "±5%", "kind": "tolerance", "value": "5", "unit": "%", "canonical": "±5%"}
    change = {"kind": "change", "direction": "increase", "op": ">=", "value": "3", "unit": "百分点", "relative": False}
    assert {k: lines[3][k] for k in change} == change
    assert (lines[4]["by"], lines[4]["year_offset"]) == ("03-31", 1)
    assert (lines[5]["by"], lines[5]["from"]) == ("2024-12-31", "2024-01-01")


def test_parse_refuses_a_unit_without_its_number() -> None:
    result = CliRunner().invoke(main, ["parse", "--format", "json", "万人"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"] == {"message": "the number is missing before 万人", "column": 1}


def test_a_department_of_long_tail_targets_scores_in_every_format(department: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["score", str(department), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = {row["name"]: row for row in data["projects"][0]["indicators"]}
    # 产出 50 over 7 indicators; 效益 30 over 2; 满意度 10 over 1
    assert rows["免疫密度"]["trace"] == "实际92%，达到良（≥90%），80%×7.14=5.71"
    assert rows["资金偏差率"]["score"] == rows["资金偏差率"]["weight"]
    assert rows["群众知晓率"]["trace"] == "实际93%，基线91%，提高2个百分点 < 目标3个百分点，2÷3×15.00=10.00"
    assert rows["新增马匹"]["actual"] == "28匹"
    for suffix in ("md", "html", "xlsx"):
        out = tmp_path / f"report.{suffix}"
        rendered = CliRunner().invoke(main, ["score", str(department), "-o", str(out)])
        assert rendered.exit_code == 0, rendered.output
        assert out.stat().st_size > 0


def test_a_department_of_long_tail_targets_is_monitored(department: Path) -> None:
    result = CliRunner().invoke(main, ["monitor", str(department), "--as-of", "2024-12-31", "--format", "json"])
    assert result.exit_code == 0, result.output
