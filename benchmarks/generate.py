"""A deterministic generator of realistic batches: N departments × M projects × 4–10 indicators.

    python benchmarks/generate.py OUT --departments 10 --projects 1000 [--format json|yaml] [--seed 1]

Target forms are drawn in the proportions of the seed's 72 targets, plus a few ranges and
equalities so every kind occurs; actuals mostly meet their targets, some fall short (with and
without explanations), some are late, missing or not applicable. Each department is a pair of
files, OUT/dept-0001-targets.json and OUT/dept-0001-actuals.json, scored with `evalengine score OUT`.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

import yaml

# (weight in the seed's 72 targets, form): each form makes a target and a matching actual entry
FORMS: list[tuple[int, str]] = [
    (38, "rate"),
    (2, "reverse_rate"),
    (5, "cost_wan"),
    (1, "cost_yuan"),
    (4, "count_times"),
    (2, "count_people"),
    (1, "count_wan"),
    (3, "standard"),
    (5, "deadline"),
    (7, "trend"),
    (2, "qualitative"),
    (1, "reference"),
    (1, "budget"),
    (1, "range"),
    (1, "equality"),
]
TRENDS = ["保持稳定", "只减不增", "持续提高", "相对稳定", "相应提高"]
TIERS = ["达成"] * 8 + ["部分达成", "未达成"]


def _indicator(rng: random.Random, form: str, budget: float) -> tuple[str, Any]:
    explain = rng.random() < 0.5
    if form == "rate":
        t = rng.choice([80, 90, 95, 98, 20])
        a = min(100, max(0, t + rng.randint(-12, 8)))
        entry: Any = f"{a}%" if a >= t or not explain else {"value": f"{a}%", "explanation": "部分任务延后"}
        if rng.random() < 0.2:  # a ratio given as counts
            entry = {"numerator": a, "denominator": 100}
        return f"≥{t}%", entry
    if form == "reverse_rate":
        t = rng.choice([1, 2, 5])
        return rng.choice(["＜", "≦", "≤"]) + f"{t}%", f"{round(t * rng.uniform(0.3, 1.4), 1)}%"
    if form == "cost_wan":
        t = max(1, round(budget))
        return f"≤{t}万元", f"{round(t * rng.uniform(0.8, 1.05) * 10000)}元"  # 元 against 万元
    if form == "cost_yuan":
        return "≤2400 元", f"{rng.choice([2200, 2400, 2600])}元"
    if form in ("count_times", "count_people", "count_wan"):
        unit, t = {
            "count_times": ("次", rng.randint(2, 12)),
            "count_people": ("人", rng.randint(100, 900)),
            "count_wan": ("万条", rng.randint(5, 30)),
        }[form]
        return f"≥{t}{unit}", f"{max(0, round(t * rng.uniform(0.7, 1.4)))}{unit}"
    if form == "standard":
        t = rng.choice([105, 300, 10000])
        return f"≥{t}元", f"{round(t * rng.uniform(0.9, 1.2))}元"
    if form == "deadline":
        month = rng.choice([11, 12])
        day = rng.randint(1, 28)
        late = rng.random() < 0.1
        done = f"2025-01-{day:02d}" if late else f"2024-{month:02d}-{day:02d}"
        return rng.choice([f"{month}月底前", f"{month}月底之前完成", f"{month}月底前完成"]), done
    if form == "trend":
        b = rng.randint(2, 20)
        return rng.choice(TRENDS), {"value": f"{max(0, b + rng.randint(-2, 2))}次", "baseline": f"{b}次"}
    if form == "qualitative":
        return rng.choice(["积极向上", "保障到位", "效果显著"]), {
            "tier": rng.choice(TIERS),
            "explanation": "按台账评价",
        }
    if form == "reference":
        return "按司法救助小组审批数据", rng.choice(TIERS)
    if form == "budget":
        return "在预算范围内", None  # the year's spending is the actual
    if form == "range":
        return "90%-100%", f"{rng.randint(85, 100)}%"
    return "=100%", f"{rng.choice([100, 100, 98])}%"


def department(rng: random.Random, number: int, projects: int) -> tuple[dict[str, Any], dict[str, Any]]:
    weights = [w for w, _ in FORMS]
    forms = [f for _, f in FORMS]
    targets: dict[str, Any] = {
        "department": {"code": f"{number:06d}", "name": f"测试部门{number}"},
        "year": 2024,
        "projects": [],
    }
    actuals: dict[str, Any] = {
        "targets": f"dept-{number:04d}-targets.json",
        "rules": "mof-2020",
        "year": 2024,
        "projects": [],
    }
    for p in range(projects):
        code = f"130281{number:04d}P{p:010d}"
        budget = round(rng.choice([5, 9, 27, 55, 135, 404]) * rng.uniform(0.5, 2), 2)
        n = rng.randint(4, 10)
        rows, entries = [], {}
        for i in range(n):
            level1 = "满意度指标" if i == n - 1 else ("效益指标" if i == n - 2 else "产出指标")
            if level1 == "满意度指标":
                target, entry = (
                    "≥90%",
                    {
                        "survey": {
                            "满意": rng.randint(30, 60),
                            "较满意": rng.randint(0, 10),
                            "一般": rng.randint(0, 8),
                            "不满意": rng.randint(0, 3),
                        }
                    },
                )
            else:
                target, entry = _indicator(rng, rng.choices(forms, weights)[0], budget)
            name = f"指标{i + 1}"
            rows.append(
                {"level1": level1, "level2": "数量指标", "name": name, "target": target, "basis": "年初工作计划"}
            )
            if rng.random() < 0.02:
                entry = "不适用"
            if entry is not None and rng.random() > 0.01:  # about 1 in 100 actuals missing
                entries[name] = entry
        targets["projects"].append(
            {
                "code": code,
                "name": f"项目{number}-{p}",
                "budget": budget,
                "indicators": rows,
                "spending_plan": {"3月底": "30%", "6月底": "60%", "10月底": "90%", "12月底": "100%"},
            }
        )
        actuals["projects"].append(
            {"code": code, "execution": {"spent": round(budget * rng.uniform(0.7, 1.0), 2)}, "indicators": entries}
        )
    return targets, actuals


def generate(out: Path, departments: int, projects: int, fmt: str = "json", seed: int = 1) -> list[Path]:
    """Write the batch; returns the actuals files."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    written = []
    for d in range(1, departments + 1):
        targets, actuals = department(rng, d, projects)
        stem = out / f"dept-{d:04d}"
        if fmt == "yaml":
            actuals["targets"] = f"dept-{d:04d}-targets.yaml"
            Path(f"{stem}-targets.yaml").write_text(yaml.safe_dump(targets, allow_unicode=True), encoding="utf-8")
            path = Path(f"{stem}-actuals.yaml")
            path.write_text(yaml.safe_dump(actuals, allow_unicode=True), encoding="utf-8")
        else:
            Path(f"{stem}-targets.json").write_text(json.dumps(targets, ensure_ascii=False), encoding="utf-8")
            path = Path(f"{stem}-actuals.json")
            path.write_text(json.dumps(actuals, ensure_ascii=False), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--departments", type=int, default=10)
    ap.add_argument("--projects", type=int, default=1000, help="projects per department")
    ap.add_argument("--format", choices=["json", "yaml"], default="json")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    files = generate(args.out, args.departments, args.projects, args.format, args.seed)
    print(f"wrote {len(files)} departments × {args.projects} projects to {args.out}")


if __name__ == "__main__":
    main()
