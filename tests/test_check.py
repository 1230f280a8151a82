"""`evalengine check` and `evalengine rules`: sound packs pass, broken ones fail with useful messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from test_packs import BROKEN, _expectations

from evalengine.cli.app import main
from evalengine.packs.load import builtin_packs
from evalengine.resources import rules_dir

PACKS = Path(__file__).parent / "packs"
UNSOUND = PACKS / "unsound" / "bands-reward-worse.yaml"
UNREADABLE = {"malformed"}  # YAML that does not parse: the pack cannot be read at all


def check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.output


def test_every_builtin_pack_passes() -> None:
    files = [str(rules_dir() / f"{name}.yaml") for name in builtin_packs()]
    code, output = check(*files)
    assert code == 0, output
    assert output.count("FAIL") == 0 and output.count("  ok  ") >= 6 * len(files)


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_pack_fails_check_with_its_message(path: Path) -> None:
    messages, _ = _expectations(path)
    code, output = check(str(path))
    assert code == (2 if path.stem in UNREADABLE else 1)
    for message in messages:
        assert message in output
    assert str(path.name) in output  # every message is located


def test_a_table_that_rewards_a_worse_actual_is_caught_with_a_pasteable_counterexample() -> None:
    code, output = check(str(UNSOUND), "--seed", "3")
    assert code == 1
    assert "FAIL  a better actual never scores lower" in output
    assert "validation" in output and "FAIL  validation" not in output  # structurally sound; semantically not
    pasted = output.split("counterexample, ready to paste into the pack:\n", 1)[1]
    block = "\n".join(line[10:] for line in pasted.splitlines() if line.startswith("          "))
    cases = yaml.safe_load(block)["examples"]
    better, worse = cases
    assert better["target"] == worse["target"] and float(worse["score"]) > float(better["score"])


def test_counterexample_pasted_with_the_right_score_makes_the_examples_fail(tmp_path: Path) -> None:
    # the two actuals of a counterexample, with the scores they should get: 120% misses by 20%, 135% by 35%
    examples = (
        "examples:\n  - {target: ≤100%, actual: 120%, weight: 10, score: '5.00', status: partial}\n"
        "  - {target: ≤100%, actual: 135%, weight: 10, score: '2.00', status: partial}\n"
    )
    unsound = UNSOUND.read_text(encoding="utf-8")
    pack = tmp_path / "pack.yaml"
    pack.write_text(unsound + examples, encoding="utf-8")
    code, output = check(str(pack), "--examples-only")
    assert code == 1
    assert "1 of 2 examples fail" in output
    assert "score: expected 5.00, got 7.00" in output and "the engine's reasoning" in output
    # then the pack is fixed (a 10–30% miss keeps 50%, no more than a smaller miss): the same examples hold
    fixed = unsound.replace('{miss: "(10%, 30%]", points: 70%}', '{miss: "(10%, 30%]", points: 50%}')
    assert fixed != unsound
    pack.write_text(fixed + examples, encoding="utf-8")
    code, output = check(str(pack), "--seed", "3")
    assert code == 0, output
    assert "ok    examples: 2 examples hold" in output and "FAIL" not in output


def test_json_report_and_seed_reproducibility() -> None:
    code, output = check(str(UNSOUND), "--format", "json", "--seed", "7")
    assert code == 1
    report = json.loads(output)["packs"][0]
    assert report["ok"] is False and report["readable"] is True
    failed = [c for c in report["checks"] if not c["ok"]]
    assert failed and failed[0]["counterexample"].startswith("# a worse actual scores higher")
    assert check(str(UNSOUND), "--format", "json", "--seed", "7")[1] == output


def test_a_missing_pack_cannot_be_read() -> None:
    code, output = check("no-such-pack")
    assert code == 2 and "no built-in pack or file named 'no-such-pack'" in output


def test_rules_list_names_every_builtin_pack_with_its_source() -> None:
    result = CliRunner().invoke(main, ["rules", "list"])
    assert result.exit_code == 0
    for name in builtin_packs():
        assert name in result.output
    assert "财预〔2020〕10号" in result.output and "source:" in result.output


def test_rules_show_annotates_each_value_with_its_origin() -> None:
    result = CliRunner().invoke(main, ["rules", "show", "hebei-linear"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(line.strip().startswith("reverse: linear  # hebei-linear.yaml:") for line in lines)
    assert any(line.strip().startswith("forward: ratio  # mof-2020.yaml:") for line in lines)
    assert any(line.strip().startswith("threshold: 115%  # hebei-linear.yaml:") for line in lines)
    shown = yaml.safe_load(result.output)  # the listing is itself a readable pack
    assert shown["methods"]["reverse"] == "linear" and shown["weights"]["execution"] == 10


@pytest.mark.parametrize("name", builtin_packs())
def test_rules_show_of_every_builtin_is_yaml_with_the_packs_content(name: str) -> None:
    result = CliRunner().invoke(main, ["rules", "show", name])
    shown = yaml.safe_load(result.output)
    source = yaml.safe_load((rules_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
    assert shown["title"] == source["title"]
    assert [e.get("target") for e in shown.get("examples") or []] == [
        e.get("target") for e in source.get("examples") or []
    ]
    rows = [e["rows"] for e in shown.get("examples") or [] if "rows" in e]
    assert all(isinstance(row, list) and len(row) >= 4 for group in rows for row in group)


def test_examples_that_expect_an_error(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "extends: mof-2020\ntitle: t\nsource: s\nexamples:\n"
        "  - {target: '≥95%', actual: '96人', weight: 10, error: 'is in 人'}\n"  # refused, as expected
        "  - {target: '≥95%', actual: '96%', weight: 10, error: 'is in 人'}\n"  # scores: the example fails
        "  - {target: '≥95%', actual: '96人', weight: 10, error: 'a different message'}\n",
        encoding="utf-8",
    )
    code, output = check(str(pack), "--examples-only")
    assert code == 1 and "2 of 3 examples fail" in output
    assert "expected the error 'is in 人', but it scored" in output
    assert "expected the error 'a different message', got:" in output
