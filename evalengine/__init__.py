"""evalengine: score the performance self-evaluations (绩效自评) of Chinese public budget projects.

The public API (see `evalengine.api` and the README's "Python API"):

    import evalengine

    job = evalengine.load_job("examples/zunhua-2024/actuals.yaml")
    print(evalengine.render(evalengine.score(job), "md"))

Names are loaded on first use, so `import evalengine` (and the command line) starts fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evalengine.api import Results, load_job, load_pack, parse_target, render, score
    from evalengine.errors import ErrorGroup, EvalEngineError, InputError, ReadError, ScoringError, TargetSyntaxError
    from evalengine.inputs.actuals import Job
    from evalengine.language.predicates import Predicate
    from evalengine.packs.model import Pack
    from evalengine.scoring.results import Scorecard

_WHERE = {
    "Results": "evalengine.api",
    "load_job": "evalengine.api",
    "load_pack": "evalengine.api",
    "parse_target": "evalengine.api",
    "render": "evalengine.api",
    "score": "evalengine.api",
    "ErrorGroup": "evalengine.errors",
    "EvalEngineError": "evalengine.errors",
    "InputError": "evalengine.errors",
    "ReadError": "evalengine.errors",
    "ScoringError": "evalengine.errors",
    "TargetSyntaxError": "evalengine.errors",
    "Job": "evalengine.inputs.actuals",
    "Predicate": "evalengine.language.predicates",
    "Pack": "evalengine.packs.model",
    "Scorecard": "evalengine.scoring.results",
}
__all__ = [
    "ErrorGroup",
    "EvalEngineError",
    "InputError",
    "Job",
    "Pack",
    "Predicate",
    "ReadError",
    "Results",
    "Scorecard",
    "ScoringError",
    "TargetSyntaxError",
    "load_job",
    "load_pack",
    "parse_target",
    "render",
    "score",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'evalengine' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
