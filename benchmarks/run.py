"""Every measurement of issue 8 in one run, printed as a table of figures and ratios.

    python benchmarks/run.py [--sizes 1000,10000,100000] [--quick]

1. target parsing: distinct targets per second, cold, and with the engine's cache;
2. scoring: indicators per second with explanations, beside a plain Decimal loop on the same data;
3. end to end: `evalengine score DIR --format ndjson` on generated batches, wall time and peak memory
   (each in a fresh process, measured by the resource module), and the ratios between sizes;
4. cold start: the bundled example end to end, beside `python -c "import yaml, jinja2, click, lark"`;
5. issue 19: one large JSON file with `--format json -o` beside the naive reference (benchmarks/naive.py),
   large against small (best of 3 each, the three alternating); peak memory of 50 department files
   against 10, for json and ndjson; --jobs 2 against --jobs 1 on the same batch, and on a single file;
6. issue 19: `evalengine score DIR --format xlsx -o` on generated batches, milliseconds per project and
   peak memory, against --format ndjson of the same batch (best of 3 each, alternating).
Sections 3 to 6 run evalengine and the naive reference as an installed copy runs: bytecode compiled once
(compiled()). Nothing is asserted; tests run this at a tiny size to keep it working.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import parse as parse_bench  # noqa: E402
import score as score_bench  # noqa: E402

# Runs evalengine's CLI and reports the process's own peak memory (KiB) on its last line. On Linux
# ru_maxrss survives exec, so a child would inherit this benchmark's peak: read VmHWM, which belongs
# to the new address space; elsewhere fall back to the resource module.
PEAK = (
    "import resource, sys\n"
    "from evalengine.cli.app import main\n"
    "try:\n    main(sys.argv[1:])\n"
    "except SystemExit as exit:\n    code = exit.code\n"
    "try:\n"
    "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
    "except OSError:\n"
    "    hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "print('PEAK_KIB', hwm, file=sys.stderr)\n"
)


# The children run as an installed evalengine runs: its modules' bytecode compiled once and read after
# (pip compiles it when it installs the wheel). A checkout installed editable, where the environment sets
# PYTHONDONTWRITEBYTECODE (as this project's machines do), compiles every module again on every run: about
# 0.2 s a run, for evalengine and the naive reference alike, which no user pays. The bytecode goes to a
# folder of the benchmark's own (PYTHONPYCACHEPREFIX), not into the checkout; see compiled().
CHILD_ENV = dict(os.environ)


def compiled(pycache: Path) -> None:
    """From now on the children read evalengine's (and the naive reference's) bytecode from `pycache`."""
    import evalengine

    CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(pycache)
    package = str(Path(evalengine.__file__).parent)
    subprocess.run([sys.executable, "-m", "compileall", "-q", package, str(HERE)], env=CHILD_ENV, check=True)


def timed(cmd: list[str]) -> tuple[float, int]:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=CHILD_ENV)
    wall = time.perf_counter() - t0
    if done.returncode not in (0, 1) and "PEAK_KIB" not in done.stderr:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    peak = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_KIB")]
    return wall, peak[0] if peak else 0


def best_of(n: int, cmd: list[str]) -> float:
    return min(timed(cmd)[0] for _ in range(n))


def end_to_end(sizes: list[int], work: Path) -> list[tuple[int, float, int]]:
    rows = []
    for size in sizes:
        departments, per = max(1, size // 1000), min(size, 1000)
        batch = work / f"batch-{size}"
        generate.generate(batch, departments, per)
        out = work / f"out-{size}.ndjson"
        wall, peak = timed([sys.executable, "-c", PEAK, "score", str(batch), "--format", "ndjson", "-o", str(out)])
        rows.append((size, wall, peak))
    return rows


NAIVE = (
    "import sys\nsys.path.insert(0, sys.argv[1])\nimport naive\nnaive.score(__import__('pathlib').Path(sys.argv[2]))\n"
)


def one_file(work: Path, small: int, large: int, repeat: int = 3) -> dict[str, float]:
    """One department file of `small` and of `large` projects, --format json -o, beside the naive loop.

    Each of the three runs is timed `repeat` times, the three taking turns round after round, and the best
    of each counts (as benchmarks/score.py does): a ratio of two single runs carries whatever else the
    machine did during either (the naive reference alone has swung from 0.6 to 0.9 s between runs)."""
    out: dict[str, float] = {}
    runs: dict[str, list[str]] = {}
    for size in (small, large):
        folder = work / f"one-{size}"
        generate.generate(folder, 1, size)
        actuals = str(folder / "dept-0001-actuals.json")
        runs[str(size)] = [sys.executable, "-c", PEAK, "score", actuals, "--format", "json", "-o", str(work / "o.json")]
    runs["naive"] = [sys.executable, "-c", NAIVE, str(HERE), str(work / f"one-{large}" / "dept-0001-actuals.json")]
    for _ in range(repeat):
        for name, cmd in runs.items():
            wall, peak = timed(cmd)
            if name == "naive":
                out["naive"] = min(out.get("naive", wall), wall)
            else:
                out[f"wall_{name}"] = min(out.get(f"wall_{name}", wall), wall)
                out[f"peak_{name}"] = max(out.get(f"peak_{name}", peak), peak)
    # one file asked for two processes: scored in this one (a worker would only add its cost)
    actuals = str(work / f"one-{small}" / "dept-0001-actuals.json")
    for jobs in ("1", "2"):
        out[f"one_jobs{jobs}"] = min(
            timed([sys.executable, "-c", PEAK, "score", actuals, "-o", str(work / "oj.json"), "--jobs", jobs])[0]
            for _ in range(2)
        )
    return out


def files_memory(work: Path, few: int, many: int, per: int) -> dict[str, float]:
    """Peak memory (and wall) of `many` department files against `few`, for json and ndjson; and --jobs 2."""
    out: dict[str, float] = {}
    for n in (few, many):
        batch = work / f"files-{n}"
        generate.generate(batch, n, per)
        for fmt in ("json", "ndjson"):
            wall, peak = timed([sys.executable, "-c", PEAK, "score", str(batch), "-o", str(work / f"o.{fmt}")])
            out[f"{fmt}_wall_{n}"], out[f"{fmt}_peak_{n}"] = wall, peak
    batch = str(work / f"files-{few}")
    for jobs in ("1", "2"):  # best of 2 each, alternating: the least disturbed by the rest of the machine
        out[f"jobs{jobs}"] = float("inf")
    for _ in range(2):
        for jobs in ("1", "2"):
            wall, _ = timed([sys.executable, "-c", PEAK, "score", batch, "-o", str(work / "j.json"), "--jobs", jobs])
            out[f"jobs{jobs}"] = min(out[f"jobs{jobs}"], wall)
    return out


def xlsx_report(sizes: list[int], work: Path, repeat: int) -> list[dict[str, float]]:
    """The xlsx report of a generated batch of each size beside ndjson of the same batch: best wall of
    `repeat` runs (the two formats alternating), and peak memory."""
    rows = []
    for size in sizes:
        departments, per = max(1, size // 1000), min(size, 1000)
        batch = work / f"xlsx-{size}"
        generate.generate(batch, departments, per)
        row: dict[str, float] = {"projects": size}
        for _ in range(repeat):
            for fmt in ("ndjson", "xlsx"):
                out = str(work / f"out.{fmt}")
                wall, peak = timed([sys.executable, "-c", PEAK, "score", str(batch), "--format", fmt, "-o", out])
                row[f"{fmt}_wall"] = min(row.get(f"{fmt}_wall", wall), wall)
                row[f"{fmt}_peak"] = max(row.get(f"{fmt}_peak", peak), peak)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> dict[str, object]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000", help="projects per end-to-end run")
    ap.add_argument("--quick", action="store_true", help="small sizes throughout (what the tests run)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print("== 1. target parsing")
    parsing = parse_bench.main(["--targets", "300" if args.quick else "20000", "--repeat", "10"])
    print("\n== 2. scoring")
    scoring = score_bench.main(
        ["--indicators", "600" if args.quick else "120000", "--repeat", "1" if args.quick else "5"]
    )
    with tempfile.TemporaryDirectory(prefix="evalengine-pycache-") as pycache:
        compiled(Path(pycache))
        return processes(args, sizes, parsing, scoring)


def processes(
    args: argparse.Namespace, sizes: list[int], parsing: dict[str, float], scoring: dict[str, float]
) -> dict[str, object]:
    """Sections 3 to 6: evalengine (and the naive reference) run as processes of their own."""
    print("\n== 3. end to end: evalengine score DIR --format ndjson")
    with tempfile.TemporaryDirectory(prefix="evalengine-bench-") as tmp:
        rows = end_to_end(sizes, Path(tmp))
    print(f"{'projects':>10}{'wall s':>10}{'projects/s':>12}{'peak MiB':>10}{'time ×':>9}{'memory ×':>10}")
    for i, (size, wall, peak) in enumerate(rows):
        time_ratio = f"{wall / rows[i - 1][1]:.2f}" if i else "—"
        mem_ratio = f"{peak / rows[i - 1][2]:.2f}" if i and rows[i - 1][2] else "—"
        print(f"{size:>10}{wall:>10.2f}{size / wall:>12.0f}{peak / 1024:>10.1f}{time_ratio:>9}{mem_ratio:>10}")
    print("(time × and memory × compare each size with the one before it)")
    print("\n== 4. cold start")
    example = str(ROOT / "examples" / "zunhua-2024" / "actuals.yaml")
    repeat = 1 if args.quick else 5
    bare = best_of(repeat, [sys.executable, "-c", "import yaml, jinja2, click, lark"])
    whole = best_of(repeat, [sys.executable, "-m", "evalengine", "score", example])
    print(f"python -c 'import yaml, jinja2, click, lark'   {bare:6.3f} s")
    print(f"evalengine score <bundled example>            {whole:6.3f} s   = {whole / bare:.2f} x the bare import")
    print("\n== 5. issue 19: one large JSON file, many files, processes")
    small, large = (50, 250) if args.quick else (2000, 10000)
    few, many, per = (2, 6, 20) if args.quick else (10, 50, 1000)
    repeat_one = 1 if args.quick else 3
    with tempfile.TemporaryDirectory(prefix="evalengine-bench-") as tmp:
        one = one_file(Path(tmp), small, large, repeat_one)
        files = files_memory(Path(tmp), few, many, per)
    e2e = one[f"wall_{large}"] / one["naive"]
    growth = one[f"wall_{large}"] / one[f"wall_{small}"]
    print(
        f"{large} projects, one JSON file, --format json -o: {one[f'wall_{large}']:.2f} s, "
        f"{one[f'peak_{large}'] / 1024:.0f} MiB peak; naive reference {one['naive']:.2f} s (best of {repeat_one})"
    )
    print(f"  end to end vs naive reference          {e2e:6.2f} x   (goal: within 3)")
    print(f"  {large} vs {small} projects                {growth:6.2f} x   (goal: within 5.5)")
    for fmt in ("json", "ndjson"):
        ratio = files[f"{fmt}_peak_{many}"] / files[f"{fmt}_peak_{few}"]
        print(
            f"  peak memory, {many} vs {few} files of {per}, {fmt:6} {ratio:6.2f} x   (goal: within 1.5; "
            f"{files[f'{fmt}_peak_{few}'] / 1024:.0f} → {files[f'{fmt}_peak_{many}'] / 1024:.0f} MiB, "
            f"{files[f'{fmt}_wall_{many}']:.1f} s for {many * per} projects)"
        )
    print(
        f"  --jobs 2 vs --jobs 1, {few} files          {files['jobs2'] / files['jobs1']:6.2f} x the time "
        f"({files['jobs1']:.2f} s → {files['jobs2']:.2f} s; best of 2)"
    )
    print(
        f"  --jobs 2 vs --jobs 1, 1 file of {small}    {one['one_jobs2'] / one['one_jobs1']:6.2f} x the time "
        f"({one['one_jobs1']:.2f} s → {one['one_jobs2']:.2f} s; best of 2)"
    )
    print(f"  scoring core vs plain Decimal loop     {scoring['ratio']:6.2f} x   (goal: at least 0.5)")
    print("\n== 6. issue 19: the xlsx report, evalengine score DIR --format xlsx -o, beside ndjson")
    best = 1 if args.quick else 3
    with tempfile.TemporaryDirectory(prefix="evalengine-bench-") as tmp:
        workbooks = xlsx_report([40] if args.quick else [1000, 10000], Path(tmp), best)
    print(f"{'projects':>10}{'ndjson s':>10}{'xlsx s':>10}{'xlsx ms/p':>11}{'xlsx/ndjson':>13}{'peak MiB':>16}")
    for w in workbooks:
        n = w["projects"]
        peaks = f"{w['ndjson_peak'] / 1024:.0f} → {w['xlsx_peak'] / 1024:.0f}"
        print(
            f"{n:>10.0f}{w['ndjson_wall']:>10.2f}{w['xlsx_wall']:>10.2f}{w['xlsx_wall'] / n * 1000:>11.2f}"
            f"{w['xlsx_wall'] / w['ndjson_wall']:>12.2f}x{peaks:>16}"
        )
    print(f"(ms per project of the whole run, scoring included; best of {best}; peak memory ndjson → xlsx)")
    return {
        "parsing": parsing,
        "scoring": scoring,
        "end_to_end": rows,
        "cold": (bare, whole),
        "one_file": one,
        "files": files,
        "xlsx": workbooks,
    }


if __name__ == "__main__":
    main()
