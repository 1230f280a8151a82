"""Loading one printed table on its own (inputs.targets.read_project), as `evalengine audit` will."""

from __future__ import annotations

from decimal import Decimal

from evalengine.inputs.targets import read_project, split_label
from evalengine.language.predicates import Comparison, Qualitative
from evalengine.sources.documents import parse_yaml

TABLE = """\
code: T1
name: 农村公路养护
budget: 100
weights: {execution: 20}
indicators:
  - {level1: 一、产出指标（50分）, level2: 数量指标(20分), name: 养护里程, target: "≥90%", weight: 20}
  - {level1: 一、产出指标（50分）, level2: 数量指标(20分), name: 其中：村道, target: "≥85%", weight: 5}
  - {level1: 一、产出指标（50分）, level2: 质量指标, name: 档案规范, target: ""}
  - {level1: 一、产出指标（50分）, level2: 成本指标, name: 单位成本, value: 2, unit: 万元, direction: 反向}
"""


def test_a_table_loads_with_its_points_and_located_notices() -> None:
    doc = parse_yaml(TABLE, "table.yaml")
    project, errors, notices = read_project(doc, doc.data)
    assert errors == [] and project is not None
    assert project.weights.execution == 20
    assert dict(project.weights.level1) == {"产出指标": Decimal(50)}
    assert project.weights.level2 == (("产出指标", "数量指标", Decimal(20)),)
    assert [ind.scored for ind in project.indicators] == [True, False, True, True]
    assert project.indicators[1].weight is None  # a 其中 row's points are dropped …
    assert isinstance(project.indicators[2].predicate, Qualitative)
    cost = project.indicators[3].predicate
    assert isinstance(cost, Comparison) and cost.op == "<=" and cost.quantity is not None
    assert cost.quantity.value == 20000
    found = {(n.finding.code, n.where.line) for n in notices}
    assert found == {("sub-row-weight", 7), ("empty-target", 8)}  # … with a finding at its line
    assert sorted(f.code for f in project.findings) == ["empty-target", "sub-row-weight"]


def test_a_bad_table_reports_every_problem_located() -> None:
    bad = TABLE.replace("weight: 20}", "weight: 二十}").replace("≥85%", "≥85%%")
    doc = parse_yaml(bad, "table.yaml")
    _, errors, _ = read_project(doc, doc.data)
    assert sorted((e.location.line if e.location else None) for e in errors) == [6, 7]


def test_labels() -> None:
    assert split_label("一、产出指标（50分）") == ("产出指标", Decimal(50))
    assert split_label("产出指标 50分") == ("产出指标", Decimal(50))
    assert split_label("(二)项目过程(20.5分)") == ("项目过程", Decimal("20.5"))
    assert split_label("满意度指标") == ("满意度指标", None)
