"""Target parsing speed: distinct targets per second, cold and with the engine's cache.

    python benchmarks/parse.py [--targets N] [--repeat R] [--long-tail]

--long-tail mixes in the forms of other departments' tables (open units, graded targets, tolerances,
changes against last year, periods) beside the seed's.

Prints figures; asserts nothing about time (tests run it at a tiny size to keep it working).
"""

from __future__ import annotations

import argparse
import random
import time

from evalengine.language.parser import TargetParser
from evalengine.language.words import default_vocabulary

FORMS = [
    "≥{n}%",
    "≤{n}%",
    "≥{n}次",
    "≥{n}人",
    "≤{n}万元",
    "≥{n}元",
    "＜{s}%",
    "≧{n}%",
    "不低于{n}%",
    "{n}%以上",
    "≥{n}万条",
    "{lo}%-{n}%",
    "{m}月底前",
    "{m}月底之前完成",
    "2024年{m}月{d}日前",
    "≤{n} 元",
    "控制在{s}%以内",
]
PHRASES = ["只减不增", "保持稳定", "相对稳定", "持续提高", "相应提高", "积极向上", "保障到位", "在预算范围内"]
PHRASES += ["按司法救助小组审批数据"]
LONG_TAIL = [
    "≥{n}只",
    "≥{n}匹",
    "≥{n}台套",
    "≥{n}元/人·月",
    "≤{n}万/年",
    ">= {n} %(百分比)",
    "{n}%/{lo}%（优/良）",
    "±{s}%",
    "偏差率±{s}%以内",
    "提高{s}个百分点",
    "较上年提高{s}%",
    "次年{m}月底前",
    "2024年1月-{m}月",
    "{m}月份前",
]


def distinct_targets(count: int, seed: int = 7, long_tail: bool = False) -> list[str]:
    rng = random.Random(seed)
    out: set[str] = set(PHRASES)
    forms = FORMS + LONG_TAIL if long_tail else FORMS
    while len(out) < count:
        n = rng.randint(1, 100000)
        form = rng.choice(forms)
        out.add(form.format(n=n, s=rng.randint(1, 9), lo=max(n - 10, 0), m=rng.randint(1, 12), d=rng.randint(1, 28)))
    return sorted(out)


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def main(argv: list[str] | None = None) -> dict[str, float]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--targets", type=int, default=20000, help="distinct targets")
    ap.add_argument("--repeat", type=int, default=10, help="times each target occurs in the cached run")
    ap.add_argument("--long-tail", action="store_true", help="mix in the long tail of published forms")
    args = ap.parse_args(argv)
    texts = distinct_targets(args.targets, long_tail=args.long_tail)

    t0 = time.perf_counter()
    parser = TargetParser(default_vocabulary())
    build = time.perf_counter() - t0

    t0 = time.perf_counter()
    for text in texts:
        parser.parse_target_uncached(text)
    cold = time.perf_counter() - t0

    batch = texts * args.repeat
    random.Random(1).shuffle(batch)
    fresh = TargetParser(default_vocabulary())
    t0 = time.perf_counter()
    for text in batch:
        fresh.target(text)
    cached = time.perf_counter() - t0

    figures = {"build_s": build, "cold_per_s": rate(len(texts), cold), "cached_per_s": rate(len(batch), cached)}
    print(f"grammar build            {build * 1000:10.1f} ms")
    print(f"cold parse               {figures['cold_per_s']:10.0f} distinct targets/s  ({len(texts)} targets)")
    print(f"with cache (x{args.repeat} repeats)  {figures['cached_per_s']:10.0f} targets/s  ({len(batch)} lookups)")
    print(f"cache speed-up           {figures['cached_per_s'] / figures['cold_per_s']:10.1f} x")
    return figures


if __name__ == "__main__":
    main()
