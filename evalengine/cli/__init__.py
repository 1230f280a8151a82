"""The evalengine command line: one module per command. Only this package prints or exits.

Exit codes: 0 success, 1 findings (with --strict), 2 bad input (never a traceback).
"""

from evalengine.cli import audit, check, history, importing, init, mappings, monitor, parse, review, rules, score
from evalengine.cli.app import main

__all__ = [
    "audit",
    "check",
    "history",
    "importing",
    "init",
    "main",
    "mappings",
    "monitor",
    "parse",
    "review",
    "rules",
    "score",
]
