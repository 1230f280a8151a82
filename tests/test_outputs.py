"""Writing outputs safely: formats named by extension, never over an input, never a device replaced,
a full disk or a killed run reported and cleaned up, in every command."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from evalengine.cli.app import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zunhua-2024"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("targets.yaml", "actuals.yaml"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    june = next(EXAMPLE.rglob("actuals-2024-06.yaml"))
    shutil.copy(june, tmp_path / "june.yaml")
    (tmp_path / "june.yaml").write_text(
        (tmp_path / "june.yaml")
        .read_text(encoding="utf-8")
        .replace("targets: ../targets.yaml", "targets: targets.yaml"),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if stat.S_ISREG(p.lstat().st_mode)}


# --- formats from the extension ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["report.pdf", "report.csv", "report.txt", "report"])
def test_an_unknown_extension_is_an_error_listing_the_formats(folder: Path, name: str) -> None:
    result = run("score", "actuals.yaml", "-o", name)
    assert result.exit_code == 2
    assert "cannot tell the report format" in result.stderr and "md, html, json, xlsx, docx, ndjson" in result.stderr
    assert not (folder / name).exists()


def test_an_unknown_extension_is_fine_with_format(folder: Path) -> None:
    result = run("score", "actuals.yaml", "-o", "report.txt", "--format", "md")
    assert result.exit_code == 0
    assert (folder / "report.txt").read_text(encoding="utf-8").startswith("#")


def test_monitor_refuses_ndjson_and_unknown_extensions(folder: Path) -> None:
    result = run("monitor", "june.yaml", "--as-of", "2024-06-30", "-o", "lights.ndjson")
    assert result.exit_code == 2 and "not ndjson" in result.stderr and "use .json" in result.stderr
    result = run("monitor", "june.yaml", "--as-of", "2024-06-30", "-o", "lights.pdf")
    assert result.exit_code == 2 and "md, html, json, xlsx, docx" in result.stderr and "ndjson" not in result.stderr
    assert not list(folder.glob("lights.*"))


SEED = ROOT.parent / "shared" / "seeds" / "000_751714fef768bc2d.txt"
TABLES = ROOT / "examples" / "audit" / "tables.yaml"


@pytest.mark.parametrize(
    ("args", "name", "formats"),
    [
        (["score", "actuals.yaml"], "report.yaml", "md, html, json, xlsx, docx, ndjson"),
        (["monitor", "june.yaml", "--as-of", "2024-06-30"], "lights.yml", "md, html, json, xlsx, docx"),
        (["review", "targets.yaml"], "review.ndjson", "md, html, json, xlsx, docx"),
        (["audit", str(TABLES)], "audit.ndjson", "md, html, json, xlsx, docx"),
        (["init", "targets.yaml"], "actuals.docx", "yaml, json, xlsx"),
        (["import", "seed.txt"], "targets.xlsx", "yaml, json"),
    ],
    ids=["score", "monitor", "review", "audit", "init", "import"],
)
def test_an_extension_naming_a_format_the_command_does_not_write_is_a_usage_error(
    folder: Path, args: list[str], name: str, formats: str
) -> None:
    """Every command that writes: the extension names a format (not an unknown one), just not this
    command's; refused before anything is read, listing the command's own formats."""
    shutil.copy(SEED, folder / "seed.txt")
    result = run(*args, "-o", name)
    assert result.exit_code == 2, result.output
    fmt = {"yml": "yaml"}.get(name.rsplit(".", 1)[1], name.rsplit(".", 1)[1])
    assert f"{name}: {args[0]} does not write {fmt}; its formats are {formats} (extensions" in result.stderr
    assert "Traceback" not in result.output and not (folder / name).exists()
    with_format = run(*args, "-o", name, "--format", "json")  # --format says what the extension cannot
    assert with_format.exit_code == 0, with_format.output
    assert (folder / name).read_text(encoding="utf-8").lstrip().startswith("{")


def test_init_writes_a_json_form_that_scores(folder: Path) -> None:
    result = run("init", "targets.yaml", "-o", "form.json")
    assert result.exit_code == 0, result.output
    form = json.loads((folder / "form.json").read_text(encoding="utf-8"))
    assert form["targets"] == "targets.yaml" and form["rules"] == "mof-2020" and form["year"] == 2024
    assert len(form["projects"]) == 12 and form["projects"][0]["execution"] == {"spent": None}
    scored = run("score", "form.json", "--format", "json")
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["summary"]["findings"]["error"] == 84  # everything still to fill


def test_init_refuses_an_unknown_extension(folder: Path) -> None:
    result = run("init", "targets.yaml", "-o", "form.txt")
    assert result.exit_code == 2 and "yaml, json, xlsx" in result.stderr
    assert not (folder / "form.txt").exists()
    assert run("init", "targets.yaml", "-o", "form.txt", "--format", "yaml").exit_code == 0


def test_import_takes_its_format_from_the_extension(folder: Path) -> None:
    run("init", "targets.yaml", "-o", "form.xlsx")  # any workbook; a target table is built below
    from test_forms import _target_workbook

    _target_workbook(folder / "targets.xlsx")
    assert run("import", "targets.xlsx", "-o", "imported.json").exit_code == 0
    assert json.loads((folder / "imported.json").read_text(encoding="utf-8"))["projects"][0]["code"]
    result = run("import", "targets.xlsx", "-o", "imported.txt")
    assert result.exit_code == 2 and "yaml, json" in result.stderr


# --- --strict says why ---------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [[], ["--format", "ndjson"], ["-o", "report.json"]])
def test_strict_prints_the_count_of_error_findings(folder: Path, extra: list[str]) -> None:
    result = run("score", "actuals.yaml", "--strict", *extra)
    assert result.exit_code == 1
    assert "strict: 5 error findings, exit 1" in result.stderr


# --- never over an input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["score", "actuals.yaml", "-o", "actuals.yaml", "--format", "md"],
        ["score", "actuals.yaml", "-o", "targets.yaml", "--format", "md"],  # the targets the actuals name
        ["score", "actuals.yaml", "--format", "ndjson", "-o", "targets.yaml"],
        ["score", "actuals.yaml", "--rules", "pack.yaml", "-o", "pack.yaml", "--format", "json"],
        ["monitor", "june.yaml", "--as-of", "2024-06-30", "-o", "june.yaml", "--format", "md"],
        ["init", "targets.yaml", "-o", "targets.yaml"],
        ["init", "targets.yaml", "-o", "actuals.yaml"],  # an existing form is not an input: allowed below
        ["import", "source.txt", "-o", "source.txt", "--format", "yaml"],
        ["import", "targets.xlsx", "-o", "targets.xlsx", "--format", "yaml"],
    ],
)
def test_output_naming_an_input_is_refused(folder: Path, args: list[str]) -> None:
    from test_forms import _target_workbook

    shutil.copy(ROOT / "rules" / "hebei-linear.yaml", folder / "pack.yaml")
    (folder / "source.txt").write_text("not a target table\n", encoding="utf-8")
    _target_workbook(folder / "targets.xlsx")
    before = _snapshot(folder)
    result = run(*args)
    if args[:1] == ["init"] and args[-1] == "actuals.yaml":
        assert result.exit_code == 0  # overwriting an old form is what -o is for
        return
    if args[:2] == ["import", "source.txt"]:
        assert result.exit_code == 2  # not a target table: refused before any output
    else:
        assert result.exit_code == 2, result.output
        assert "refusing to write the output over one of this run's input files" in result.stderr
    assert "Traceback" not in result.output
    assert _snapshot(folder) == before


def test_output_through_a_link_to_an_input_is_refused(folder: Path) -> None:
    (folder / "link.md").symlink_to(folder / "actuals.yaml")
    result = run("score", "actuals.yaml", "-o", "link.md")
    assert result.exit_code == 2 and "input files" in result.stderr
    assert (folder / "link.md").is_symlink()


# --- devices are written in place, never replaced ------------------------------------------------


def device(path: Path, minor: int) -> Path:
    """A private copy of /dev/null (minor 3) or /dev/full (minor 7): a broken writer replaces this one,
    not the machine's."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["score", "actuals.yaml", "-o", "null"],
        ["score", "actuals.yaml", "--format", "ndjson", "-o", "null"],
        ["monitor", "june.yaml", "--as-of", "2024-06-30", "-o", "null"],
        ["init", "targets.yaml", "-o", "null"],
        ["import", "targets.xlsx", "-o", "null"],
    ],
)
def test_a_device_stays_a_device(folder: Path, args: list[str]) -> None:
    from test_forms import _target_workbook

    _target_workbook(folder / "targets.xlsx")
    device(folder / "null", 3)
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat(folder / "null").st_mode)
    assert not list(folder.glob(".*.tmp"))


def test_a_named_pipe_is_written_in_place(folder: Path) -> None:
    fifo = folder / "pipe.md"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    result = run("score", "actuals.yaml", "-o", str(fifo))
    out, _ = reader.communicate(timeout=10)
    assert result.exit_code == 0 and out.decode("utf-8").startswith("#")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("full", "No space left on device"),
        ("actuals.yaml/report.md", "a part of its folder path is a file"),
        ("a" * 300 + ".md", "File name too long"),
        ("/proc/report.md", "cannot write the output here"),
        ("/sys/report.md", "cannot write the output here"),
    ],
)
def test_output_that_cannot_be_written_exits_2(folder: Path, output: str, message: str) -> None:
    if output == "full":
        device(folder / "full", 7)
    before = _snapshot(folder)
    result = run("score", "actuals.yaml", "-o", output, "--format", "md")
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert _snapshot(folder) == before and not list(folder.glob(".*.tmp"))


# --- a full stdout, in every command -------------------------------------------------------------


def _cli(*args: str, cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evalengine", *args],
        cwd=cwd,
        capture_output=False,
        text=True,
        **kwargs,  # type: ignore[call-overload]
    )


@pytest.mark.parametrize(
    "args",
    [
        ["score", "actuals.yaml"],
        ["score", "actuals.yaml", "--format", "ndjson"],
        ["score", "actuals.yaml", "--format", "json"],
        ["monitor", "june.yaml", "--as-of", "2024-06-30"],
        ["init", "targets.yaml"],
        ["import", "targets.xlsx"],
        ["check", "mof-2020", "--examples-only"],
        ["rules", "list"],
        ["rules", "show", "mof-2020"],
        ["parse", "≥95%"],
        ["--help"],
    ],
)
def test_a_full_stdout_exits_2_with_a_message(folder: Path, args: list[str]) -> None:
    from test_forms import _target_workbook

    _target_workbook(folder / "targets.xlsx")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "evalengine", *args],
            cwd=folder,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert done.returncode == 2, done.stderr
    assert "cannot write to standard output: No space left on device" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


# --- a killed stream leaves nothing behind -------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_killed_ndjson_stream_leaves_no_temporary_file(tmp_path: Path, sig: signal.Signals) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    generate(tmp_path / "batch", departments=3, projects=1500, fmt="json")
    out = tmp_path / "out"
    out.mkdir()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "evalengine",
            "score",
            str(tmp_path / "batch"),
            "--format",
            "ndjson",
            "-o",
            "all.ndjson",
        ],
        cwd=out,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not list(out.glob(".all.ndjson.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(out.glob(".all.ndjson.*.tmp")), "the stream never started"
    process.send_signal(sig)
    _, err = process.communicate(timeout=30)
    assert process.returncode != 0
    assert list(out.iterdir()) == [], "a killed stream must leave neither a report nor a temporary file"
    assert b"Traceback" not in err


# --- the init YAML form cannot be pre-filled by a crafted name -----------------------------------


def test_a_newline_in_a_name_cannot_prefill_the_yaml_form(folder: Path) -> None:
    targets = yaml.safe_load((folder / "targets.yaml").read_text(encoding="utf-8"))
    project = targets["projects"][0]
    first = project["indicators"][0]["name"]
    project["name"] = 'x\n    execution: {spent: 4.85}\n    indicators: {"' + first + '": 100%}\n#'
    project["indicators"][1]["level2"] = "质量指标\n      " + json.dumps(first, ensure_ascii=False) + ": 100%  #"
    project["indicators"][2]["level2"] = "时效指标\u2028      x: 1"
    (folder / "crafted.yaml").write_text(yaml.safe_dump(targets, allow_unicode=True), encoding="utf-8")
    made = run("init", "crafted.yaml", "-o", "form.yaml")
    if made.exit_code == 2:  # refusing control characters where they are read is as safe
        assert "crafted.yaml" in made.stderr and not (folder / "form.yaml").exists()
        return
    assert made.exit_code == 0, made.output
    form = (folder / "form.yaml").read_text(encoding="utf-8")
    assert "\\u000a" in form and "\u2028" not in form
    result = run("score", "form.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    card = json.loads(result.stdout)["projects"][0]
    assert card["execution"]["spent"] is None or card["execution"]["spent"] in ("0", "0.00")
    assert card["indicators"][0]["actual"] in (None, "")
    assert card["indicators"][0]["score"] == "0.00"


def test_a_control_character_in_a_code_stays_quoted(folder: Path) -> None:
    from evalengine.authoring.forms import _q

    for text in ("a\nb", "a\x85b", "a\u2028b", "a\x00b", "a\x1bb", 'a"b\\'):
        assert yaml.safe_load(_q(text)) == text and "\n" not in _q(text)
