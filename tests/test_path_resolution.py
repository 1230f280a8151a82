"""One rule for paths in every command: on the command line, relative to the working folder; inside a
file (targets:, rules:, extends:, an Excel form's 设置 sheet), relative to that file's folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from evalengine.cli.app import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zunhua-2024"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """work/data holds the files and a pack they name; work/packs a pack named on the command line."""
    data, packs, other = tmp_path / "data", tmp_path / "packs", tmp_path / "other"
    for d in (data, packs, other):
        d.mkdir()
    shutil.copy(EXAMPLE / "targets.yaml", data / "targets.yaml")
    shutil.copy(EXAMPLE / "targets.yaml", other / "targets.yaml")
    june = next(EXAMPLE.rglob("actuals-2024-06.yaml")).read_text(encoding="utf-8")
    june = june.replace("targets: ../targets.yaml", "targets: targets.yaml")
    for name, text in (("actuals.yaml", (EXAMPLE / "actuals.yaml").read_text(encoding="utf-8")), ("june.yaml", june)):
        assert "rules: mof-2020" in text
        (data / name).write_text(text.replace("rules: mof-2020", "rules: inside.yaml"), encoding="utf-8")
    (data / "inside.yaml").write_text("extends: mof-2020\ntitle: the pack named inside the file\n", encoding="utf-8")
    (packs / "cli.yaml").write_text("extends: base.yaml\ntitle: the pack named on the command line\n", encoding="utf-8")
    (packs / "base.yaml").write_text("extends: hebei-linear\n", encoding="utf-8")  # extends: is beside its file
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _rules(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["rules"])


def test_score_rules_inside_the_file_are_beside_it(work: Path) -> None:
    assert _rules(run("score", "data/actuals.yaml", "--format", "json")).endswith("inside.yaml")


def test_score_rules_and_targets_on_the_command_line_are_from_the_working_folder(work: Path) -> None:
    result = run("score", "data/actuals.yaml", "--rules", "packs/cli.yaml", "--format", "json")
    assert _rules(result) == "packs/cli.yaml"
    result = run("score", "data/actuals.yaml", "--targets", "other/targets.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    missing = run("score", "data/actuals.yaml", "--targets", "targets.yaml")  # data/targets.yaml exists
    assert missing.exit_code == 2 and "--targets: file not found: targets.yaml" in missing.stderr
    assert "relative to the working folder" in missing.stderr


def test_score_ndjson_follows_the_same_rule(work: Path) -> None:
    result = run("score", "data/actuals.yaml", "--rules", "packs/cli.yaml", "--format", "ndjson")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[0])["rules"] == "packs/cli.yaml"


def test_monitor_follows_the_same_rule(work: Path) -> None:
    base = ("monitor", "data/june.yaml", "--as-of", "2024-06-30", "--format", "json")
    assert _rules(run(*base)).endswith("inside.yaml")
    assert _rules(run(*base, "--rules", "packs/cli.yaml")) == "packs/cli.yaml"
    assert run(*base, "--targets", "other/targets.yaml").exit_code == 0


@pytest.mark.parametrize("form", ["forms/actuals.yaml", "forms/actuals.json", "forms/actuals.xlsx"])
def test_init_writes_paths_relative_to_the_form(work: Path, form: str, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("init", "data/targets.yaml", "--rules", "packs/cli.yaml", "-o", form)
    assert result.exit_code == 0, result.output
    if form.endswith(".xlsx"):
        settings = openpyxl.load_workbook(work / form)["设置"]
        refs = {settings["A1"].value: settings["B1"].value, settings["A2"].value: settings["B2"].value}
        assert refs == {"targets": "../data/targets.yaml", "rules": "../packs/cli.yaml"}
    else:
        text = (work / form).read_text(encoding="utf-8")
        assert '"../data/targets.yaml"' in text and '"../packs/cli.yaml"' in text
    monkeypatch.chdir(work / "other")  # the form works from anywhere
    assert _rules(run("score", f"../{form}", "--format", "json")).endswith("cli.yaml")


def test_init_keeps_a_builtin_pack_name(work: Path) -> None:
    assert run("init", "data/targets.yaml", "--rules", "hebei-linear", "-o", "forms/a.yaml").exit_code == 0
    assert 'rules: "hebei-linear"' in (work / "forms" / "a.yaml").read_text(encoding="utf-8")


def test_check_rules_show_and_parse_follow_the_same_rule(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("check", "packs/cli.yaml", "--examples-only", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "hebei-linear" in json.loads(result.stdout)["packs"][0]["checks"][0]["message"]
    shown = run("rules", "show", "packs/cli.yaml")
    assert shown.exit_code == 0 and "the pack named on the command line" in shown.stdout
    assert "base.yaml" not in shown.stdout or "cli.yaml" in shown.stdout
    assert run("parse", "≥95%", "--rules", "packs/cli.yaml").exit_code == 0
    monkeypatch.chdir(work / "data")
    assert run("rules", "show", "packs/cli.yaml").exit_code == 2  # not beside the working folder


def test_import_writes_relative_to_the_working_folder(work: Path) -> None:
    from test_forms import _target_workbook

    _target_workbook(work / "data" / "t.xlsx")
    assert run("import", "data/t.xlsx", "-o", "out/targets.yaml").exit_code == 0
    assert (work / "out" / "targets.yaml").is_file()
