"""Issue 19: the fast paths write what the slow ones wrote, byte for byte, whatever the number of processes."""

from __future__ import annotations

import gc
import importlib.util
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

import evalengine
from evalengine.cli.app import main
from evalengine.pipeline import monitor_files, quiet_gc, score_files
from evalengine.reports import encode, xlsx
from evalengine.reports.view import build, build_monitor

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zunhua-2024"
MIDYEAR = EXAMPLE / "monitoring" / "actuals-2024-06.yaml"


def _generate(out: Path, departments: int, projects: int) -> Path:
    spec = importlib.util.spec_from_file_location("bench_generate_t19", ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.generate(out, departments, projects)
    return out


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("batch"), 3, 12)


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def test_json_report_is_what_the_json_module_writes() -> None:
    job = evalengine.load_job(str(EXAMPLE / "actuals.yaml"))
    view = build(score_files([job.path]))
    expected = json.dumps(view, ensure_ascii=False, indent=2) + "\n"
    assert evalengine.render(evalengine.score(job), "json") == expected
    result = run("score", str(EXAMPLE / "actuals.yaml"), "--format", "json")
    assert result.exit_code == 0 and result.stdout == expected


@pytest.mark.parametrize(
    "value",
    [
        {"a": [{}, [], None, True, False, 0, -7, 2**63 - 1, {"b": [[]]}], "c": '引号"\\\n\t\x01\x7f\u2028中文'},
        {"big": 2**70, "key": {"x": "y"}},  # beyond 64 bits: written by the json module itself
        [],
        "text",
    ],
)
def test_encoder_bytes_equal_the_json_module(value: Any) -> None:
    assert encode.document(value) == json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    assert encode.line(value) == json.dumps(value, ensure_ascii=False).encode("utf-8")
    nested = encode.indented(value, 2).decode("utf-8")
    assert nested == json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n    ")


def test_streamed_json_equals_the_whole_report(batch: Path) -> None:
    files = sorted(batch.glob("*-actuals.json"))
    whole = build(score_files(files))
    expected = json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    result = run("score", str(batch), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected
    assert result.stderr.count("not an actuals file") == 3  # each targets file passed over, and said


@pytest.mark.parametrize("fmt", ["json", "ndjson", "md"])
def test_jobs_give_the_same_bytes(batch: Path, tmp_path: Path, fmt: str) -> None:
    outputs = []
    for jobs in ("1", "2", "3"):
        out = tmp_path / f"report-{jobs}.{fmt}"
        result = run("score", str(batch), "-o", str(out), "--jobs", jobs)
        assert result.exit_code == 0, result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0]) > 1000


def test_ndjson_lines_are_the_json_module_lines(batch: Path) -> None:
    result = run("score", str(batch), "--format", "ndjson")
    assert result.exit_code == 0
    for line in result.stdout.splitlines():
        assert line == json.dumps(json.loads(line), ensure_ascii=False)


def test_an_error_in_a_worker_is_shown_as_in_one_process(batch: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    for path in batch.iterdir():
        (bad / path.name).write_bytes(path.read_bytes())
    second = bad / "dept-0002-actuals.json"
    second.write_text(second.read_text(encoding="utf-8").replace('"year": 2024', '"year": 1800'), encoding="utf-8")
    third = bad / "dept-0003-targets.json"
    data = json.loads(third.read_text(encoding="utf-8"))
    data["projects"][0]["indicators"][0]["target"] = "≥95%%"
    third.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    serial = run("score", str(bad), "--format", "json", "-o", str(tmp_path / "a.json"))
    parallel = run("score", str(bad), "--format", "json", "-o", str(tmp_path / "b.json"), "--jobs", "2")
    assert serial.exit_code == parallel.exit_code == 2
    assert serial.stderr == parallel.stderr
    assert "dept-0002-actuals.json" in serial.stderr and "≥95%%" in serial.stderr and "^" in serial.stderr
    assert not (tmp_path / "a.json").exists() and not (tmp_path / "b.json").exists()


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_workers_speak_the_runs_language(
    batch: Path, tmp_path: Path, method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--lang reaches the workers however they start: spawned ones (Windows, macOS) choose no language of
    their own from the environment (here EVALENGINE_LANG=en)."""
    import multiprocessing

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: [method])
    bad = tmp_path / "bad"
    bad.mkdir()
    for path in batch.iterdir():
        (bad / path.name).write_bytes(path.read_bytes())
    third = bad / "dept-0003-targets.json"
    data = json.loads(third.read_text(encoding="utf-8"))
    data["projects"][0]["indicators"][0]["target"] = "≥95%%"
    third.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    serial = run("score", str(bad), "--lang", "zh", "--format", "json", "-o", str(tmp_path / "a.json"))
    parallel = run("score", str(bad), "--lang", "zh", "--format", "json", "-o", str(tmp_path / "b.json"), "--jobs", "2")
    assert serial.exit_code == parallel.exit_code == 2
    assert "错误" in serial.stderr and "≥95%%" in serial.stderr
    assert parallel.stderr == serial.stderr


def test_a_batch_pauses_the_collector_and_gives_it_back() -> None:
    assert gc.isenabled()
    with quiet_gc() as settle:
        assert not gc.isenabled()
        settle()
        assert gc.get_freeze_count() > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0


@pytest.mark.parametrize("files", [1, 3])
def test_the_heap_is_settled_between_files_not_after_the_last(
    files: int, batch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    collections: list[int] = []
    collect = gc.collect
    monkeypatch.setattr(gc, "collect", lambda *args: collections.append(1) or collect(*args))
    paths = sorted(batch.glob("*-actuals.json"))[:files]
    result = run("score", *map(str, paths), "--format", "json", "-o", str(tmp_path / "r.json"))
    assert result.exit_code in (0, 1), result.output
    assert len(collections) == files - 1


def _plain_merge(ws: Any, cells: str = "", **bounds: int) -> None:
    ws.merge_cells(cells or None, **bounds)


def _plain_row(ws: Any, row: int, values: list[Any], *, head: bool = False, numbers: tuple[int, ...] = ()) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.border = xlsx.BOX
        cell.alignment = xlsx.CENTER if head else xlsx.WRAP
        if head:
            cell.fill, cell.font = xlsx.HEAD, xlsx.BOLD
        if col in numbers and isinstance(value, xlsx.Decimal):
            cell.number_format = "0.00"


def test_xlsx_fast_styles_write_the_same_workbook(monkeypatch: pytest.MonkeyPatch) -> None:
    """The monitoring workbook (openpyxl, with the shared styles and fast merges; the self-evaluation report
    is streamed instead: tests/test_xlsx_equivalence.py)."""
    view = build_monitor(monitor_files([MIDYEAR], date(2024, 6, 30)), date(2024, 6, 30))
    fast = xlsx.monitor_workbook_bytes(view)
    assert view["projects"] and fast.count(b"xl/worksheets/sheet") >= 3
    monkeypatch.setattr(xlsx, "_merge", _plain_merge)
    monkeypatch.setattr(xlsx, "_row", _plain_row)
    assert xlsx.monitor_workbook_bytes(view) == fast  # openpyxl's own merges and style lookups, cell by cell


def _merged_sheet(fast: bool) -> Any:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for top in (1, 5):  # the second merge of the same shape is copied from the first
        (xlsx._row if fast else _plain_row)(ws, top, ["a", "", ""])
        (xlsx._row if fast else _plain_row)(ws, top + 1, ["", "", ""], head=True)
        (xlsx._merge if fast else _plain_merge)(ws, start_row=top, start_column=1, end_row=top + 1, end_column=3)
    return ws


def test_a_fast_merge_leaves_each_cell_as_openpyxl_does() -> None:
    fast, plain = _merged_sheet(True), _merged_sheet(False)
    for row in range(1, 7):
        for col in range(1, 4):
            a, b = fast.cell(row, col), plain.cell(row, col)
            assert type(a) is type(b) and a.value == b.value
            assert a.has_style == b.has_style and (not a.has_style or list(a._style) == list(b._style))
    for table in ("_borders", "_alignments", "_fills", "_fonts"):  # what the style arrays index
        assert list(getattr(fast.parent, table)) == list(getattr(plain.parent, table))
    assert fast.cell(6, 3).border.bottom.style == "thin" and fast.cell(5, 2).border.top.style == "thin"
    assert sorted(map(str, fast.merged_cells.ranges)) == ["A1:C2", "A5:C6"]


def test_one_process_never_loads_the_process_pool(batch: Path, tmp_path: Path) -> None:
    """concurrent.futures.process (and multiprocessing's queues) are loaded for --jobs above 1 only."""
    code = (
        "import sys\nfrom evalengine.cli.app import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('concurrent.futures.process' in sys.modules, file=sys.stderr)\n"
    )
    actuals = str(sorted(batch.glob("*-actuals.json"))[0])
    for jobs, loaded in (("1", "False"), ("2", "False")):  # one file: one process, whatever --jobs says
        done = subprocess.run(
            [sys.executable, "-c", code, "score", actuals, "-o", str(tmp_path / "r.json"), "--jobs", jobs],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        assert done.stderr.strip().splitlines()[-1] == loaded, done.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_project_met_twice_names_the_first_place_in_any_number_of_processes(tmp_path: Path, jobs: str) -> None:
    folder = tmp_path / "ex"
    shutil.copytree(EXAMPLE, folder)
    (folder / "again.yaml").write_text(
        "targets: targets.yaml\nyear: 2024\nprojects:\n  - code: 13028124P00091910001P\n    execution: {spent: 1}\n",
        encoding="utf-8",
    )
    files = [str(folder / "actuals.yaml"), str(folder / "again.yaml")]
    result = run("score", *files, "-o", str(tmp_path / "r.json"), "--jobs", jobs)
    assert result.exit_code == 2
    first = f"{folder / 'actuals.yaml'}:10:5 (projects[0])"
    assert f"13028124P00091910001P is met twice in this run: here and at {first}\n" in result.stderr
