"""Scoring speed: indicators per second with explanations, beside a plain Decimal loop.

    python benchmarks/score.py [--indicators N]

Both sides score the same pre-loaded indicators under the national default (forward and reverse
comparisons and tiers, in roughly the seed's proportions); the script checks that they agree
before it prints the ratio. Both are timed as `evalengine score` runs a batch: cyclic garbage
collection off and the loaded data frozen (pipeline.quiet_gc); `--gc` times them with the
collector running instead, over the large heap of test data. Nothing here is asserted about time.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import time
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from evalengine.language.parser import parse_target
from evalengine.language.predicates import Comparison, Quantity
from evalengine.model import Execution, Finding, Indicator, Observation, Project, ProjectActuals
from evalengine.packs.load import load_pack
from evalengine.pipeline import quiet_gc
from evalengine.scoring.engine import Scorer, score_project
from evalengine.text import nfkc

CENT = Decimal("0.01")
TIER_SHARE = {"达成": Decimal(1), "部分达成": Decimal("0.7"), "未达成": Decimal("0.3")}


def make_data(n: int, seed: int = 3) -> list[tuple[Indicator, Observation, Decimal]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        w = Decimal(rng.choice(["12.50", "30.00", "10.00", "16.67"]))
        roll = rng.random()
        if roll < 0.6:
            t = rng.choice([80, 90, 95, 98])
            target, actual = f"≥{t}%", Quantity(Decimal(rng.randint(60, 130)), "%")
        elif roll < 0.8:
            t = rng.choice([2, 27, 404, 2400])
            target, actual = f"≤{t}万元", Quantity(Decimal(rng.randint(t // 2, t * 2)) * 10000, "元")
        else:
            target, actual = "积极向上", None
        ind = Indicator("产出指标", "数量指标", f"指标{i}", target, parse_target(target))
        if actual is None:
            obs = Observation(tier=rng.choice(list(TIER_SHARE)), explanation="说明")
        else:
            obs = Observation(value=actual, explanation="说明" if rng.random() < 0.5 else None)
        out.append((ind, obs, w))
    return out


def plain_loop(data: list[tuple[Indicator, Observation, Decimal]]) -> list[Decimal]:
    """What a careful hand-written script would do: the default formulas and half-up rounding, nothing else."""
    scores = []
    for ind, obs, w in data:
        p = ind.predicate
        if obs.tier is not None:
            s = TIER_SHARE[obs.tier] * w
        else:
            assert isinstance(p, Comparison) and p.quantity is not None and isinstance(obs.value, Quantity)
            a, t = obs.value.value, p.quantity.value
            if p.op == ">=":
                s = w if a >= t else a / t * w
            else:
                s = w if a <= t else t / a * w
        scores.append(s.quantize(CENT, rounding=ROUND_HALF_UP))
    return scores


def best(passes: list[Callable[[], object]], repeat: int) -> list[float]:
    """The fastest of `repeat` runs of each pass, the passes taken in turn round after round: the least
    disturbed by the rest of the machine, and a slow spell falls on every pass alike."""
    times: list[list[float]] = [[] for _ in passes]
    for _ in range(repeat):
        for fn, spent in zip(passes, times, strict=True):
            t0 = time.perf_counter()
            fn()
            spent.append(time.perf_counter() - t0)
    return [min(spent) for spent in times]


def main(argv: list[str] | None = None) -> dict[str, float]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--indicators", type=int, default=120000)
    ap.add_argument("--repeat", type=int, default=7, help="rounds of every pass, in turn; the best counts")
    ap.add_argument("--gc", action="store_true", help="keep the cyclic garbage collector running while timing")
    args = ap.parse_args(argv)
    data = make_data(args.indicators)
    pack = load_pack("mof-2020")
    scorer = Scorer(pack)
    project = Project("P", "p", Decimal(100), ())
    execution = Execution(Decimal(90))

    baseline = plain_loop(data)
    findings: list[Finding] = []
    results = [scorer.indicator(ind, w, obs, project, execution, 2024, findings) for ind, obs, w in data]
    if [r.score for r in results] != baseline:
        raise SystemExit("engine and plain loop disagree: fix before measuring")

    def engine_pass() -> None:
        found: list[Finding] = []
        indicator = scorer.indicator  # taken once, as Scorer.score takes it for a project's indicators
        for ind, obs, w in data:
            indicator(ind, w, obs, project, execution, 2024, found)

    def render_pass() -> None:
        for r in results:
            r.trace  # noqa: B018 - writing every explanation is the point

    # whole projects of six indicators: weights, execution, totals, grade, findings
    projects = []
    for start in range(0, len(data) - 5, 6):
        rows = data[start : start + 6]
        inds = tuple(ind for ind, _, _ in rows)
        proj = Project(f"P{start}", "p", Decimal(100), inds)
        projects.append((proj, ProjectActuals(proj.code, execution, {nfkc(i.name): o for i, o, _ in rows})))

    def project_pass() -> None:
        for proj, acts in projects:
            score_project(proj, acts, pack, 2024)

    with contextlib.ExitStack() as stack:
        if not args.gc:  # as a batch runs: the loaded data settled and frozen, no collection while scoring
            stack.enter_context(quiet_gc())()
        plain_s, engine_s, render_s, project_s = best(
            [lambda: plain_loop(data), engine_pass, render_pass, project_pass], args.repeat
        )

    n = len(data)
    figures = {
        "plain_per_s": n / plain_s,
        "engine_per_s": n / engine_s,
        "ratio": plain_s / engine_s,
        "rendered_per_s": n / (engine_s + render_s),
        "rendered_ratio": plain_s / (engine_s + render_s),
        "project_indicators_per_s": len(projects) * 6 / project_s,
    }
    rows = [
        ("plain Decimal loop (baseline)", figures["plain_per_s"], 1.0),
        ("engine: scores + trace data", figures["engine_per_s"], figures["ratio"]),
        ("engine + every trace written", figures["rendered_per_s"], figures["rendered_ratio"]),
        (
            "engine, whole 6-indicator projects",
            figures["project_indicators_per_s"],
            figures["project_indicators_per_s"] / figures["plain_per_s"],
        ),
    ]
    print(f"{'':36}{'indicators/s':>14}{'x baseline':>12}")
    for label, per_s, ratio in rows:
        print(f"{label:36}{per_s:14.0f}{ratio:12.2f}")
    collector = "running" if args.gc else "off, the data frozen, as a batch runs"
    print(f"({n} indicators, best of {args.repeat} runs each, garbage collector {collector}; identical scores)")
    return figures


if __name__ == "__main__":
    main()
