"""Scale features: JSON inputs, streamed NDJSON output, the batch generator and benchmark (tiny sizes)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from click.testing import CliRunner

from evalengine.cli.app import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zunhua-2024"


def _bench(name: str) -> ModuleType:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _as_json(folder: Path) -> Path:
    """The bundled example written as JSON files (dates and numbers as JSON would carry them)."""
    folder.mkdir()
    for name in ("targets", "actuals"):
        data = yaml.safe_load((EXAMPLE / f"{name}.yaml").read_text(encoding="utf-8"))
        if name == "actuals":
            data["targets"] = "targets.json"
        (folder / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    return folder / "actuals.json"


def report(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(main, ["score", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    for p in data["projects"]:  # type: ignore[attr-defined]
        p.pop("file")
    return data


def test_json_inputs_give_the_same_report_as_yaml(tmp_path: Path) -> None:
    assert report(str(_as_json(tmp_path / "j"))) == report(str(EXAMPLE / "actuals.yaml"))


def test_json_numbers_never_become_floats(tmp_path: Path) -> None:
    actuals = _as_json(tmp_path / "j")
    text = (
        actuals.read_text(encoding="utf-8")
        .replace('"spent": 4.85', '"spent": 0.1')
        .replace('"spent": 4.2,', '"spent": 0.2,')
    )
    actuals.write_text(text, encoding="utf-8")
    data = report(str(actuals))
    rates = {p["code"]: p["execution"]["rate"] for p in data["projects"]}  # type: ignore[attr-defined]
    assert rates["13028124P00091910001P"] == "2.00"  # 0.1 / 5 exactly: no 0.1000000000000000055


def test_malformed_json_is_located(tmp_path: Path) -> None:
    actuals = _as_json(tmp_path / "j")
    actuals.write_text(actuals.read_text(encoding="utf-8").replace('"year": 2024', '"year": 2024,,'), encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(actuals)])
    assert result.exit_code == 2 and "malformed JSON" in result.stderr and "actuals.json:1:" in result.stderr


def test_ndjson_streams_one_project_per_line_then_the_summary(tmp_path: Path) -> None:
    out = tmp_path / "out.ndjson"
    result = CliRunner().invoke(main, ["score", str(EXAMPLE / "actuals.yaml"), "-o", str(out)])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    full = report(str(EXAMPLE / "actuals.yaml"))
    assert [line["total"] for line in lines[:-1]] == [p["total"] for p in full["projects"]]  # type: ignore[attr-defined]
    assert lines[-1] == {"summary": full["summary"]}


def test_ndjson_stops_at_bad_input_and_leaves_no_file(tmp_path: Path) -> None:
    folder = tmp_path / "ex"
    shutil.copytree(EXAMPLE, folder)
    path = folder / "actuals.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("补助覆盖率(%): 96%", "补助覆盖率(%): 96人"), encoding="utf-8"
    )
    out = tmp_path / "out.ndjson"
    result = CliRunner().invoke(main, ["score", str(path), "--format", "ndjson", "-o", str(out)])
    assert result.exit_code == 2 and "is in 人" in result.stderr
    assert not out.exists() and not list(tmp_path.glob(".out.ndjson.*"))


def test_generated_batch_scores_and_reproduces(tmp_path: Path) -> None:
    generate = _bench("generate")
    first = generate.generate(tmp_path / "a", departments=2, projects=30, seed=5)
    generate.generate(tmp_path / "b", departments=2, projects=30, seed=5)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in sorted((tmp_path / "b").glob("*actuals*"))]
    result = CliRunner().invoke(main, ["score", str(tmp_path / "a"), "--format", "ndjson"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.splitlines()[-1])["summary"]
    assert summary["projects"] == 60


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_generator_writes_both_formats(tmp_path: Path, fmt: str) -> None:
    files = _bench("generate").generate(tmp_path, departments=1, projects=5, fmt=fmt)
    assert files[0].suffix == f".{fmt}"
    assert CliRunner().invoke(main, ["score", str(files[0]), "--format", "json"]).exit_code == 0


def test_run_benchmark_at_a_tiny_size() -> None:
    figures = _bench("run").main(["--quick", "--sizes", "40,80"])
    assert [row[0] for row in figures["end_to_end"]] == [40, 80]  # type: ignore[index]
    assert all(row[1] > 0 and row[2] > 0 for row in figures["end_to_end"])  # type: ignore[union-attr]
    assert figures["one_file"]["naive"] > 0 and figures["files"]["jobs2"] > 0  # type: ignore[index]
    (workbook,) = figures["xlsx"]  # type: ignore[misc]
    assert workbook["projects"] == 40 and workbook["xlsx_wall"] > 0 and workbook["ndjson_wall"] > 0
    assert workbook["xlsx_peak"] > 0 and workbook["ndjson_peak"] > 0
