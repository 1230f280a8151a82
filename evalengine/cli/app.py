"""The `evalengine` command group, exit codes, and the one place user errors become messages.

Exit codes: 0 success, 1 findings (with --strict), 2 bad input (never a traceback).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from evalengine.errors import EvalEngineError

F = TypeVar("F", bound=Callable[..., Any])


def user_errors(func: F) -> F:
    """Turn evalengine's input errors into a message on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except EvalEngineError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="evalengine")
def main() -> None:
    """Score performance self-evaluations (绩效自评) of public budget projects."""
