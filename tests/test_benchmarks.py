"""The benchmarks keep working: each runs at a tiny size. Nothing here looks at time."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_parse_benchmark_runs() -> None:
    figures = _load("parse").main(["--targets", "200", "--repeat", "2"])
    assert figures["cold_per_s"] > 0 and figures["cached_per_s"] > 0


def test_parse_benchmark_long_tail_forms_all_parse() -> None:
    module = _load("parse")
    texts = module.distinct_targets(300, long_tail=True)
    parser = module.TargetParser(module.default_vocabulary())
    kinds = {parser.parse_target_uncached(text).kind for text in texts}  # raises if any form fails
    assert {"graded", "tolerance", "change"} <= kinds


def test_score_benchmark_runs_and_agrees_with_its_baseline() -> None:
    figures = _load("score").main(["--indicators", "600", "--repeat", "1"])  # exits if engine and baseline disagree
    assert figures["engine_per_s"] > 0 and figures["project_indicators_per_s"] > 0
