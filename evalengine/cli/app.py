"""The `evalengine` command group, exit codes, and the one place user errors become messages.

Exit codes: 0 success, 1 findings (with --strict), 2 bad input (never a traceback).
"""

from __future__ import annotations

import functools
import io
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

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


class _Main(click.Group):
    """The command group: each command is a run of its own, and a failing stdout is a message, not a traceback."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        from evalengine.sources.documents import forget_inputs

        forget_inputs()
        try:
            return super().main(*args, **kwargs)
        except OSError as exc:  # click has already ended a closed pipe (`| head`) quietly
            _stdout_failed(exc)

    def invoke(self, ctx: click.Context) -> Any:
        result = super().invoke(ctx)
        sys.stdout.flush()  # a full disk shows here, not in an unraisable error at exit
        return result


def _stdout_failed(exc: OSError) -> NoReturn:
    """Writing the report to standard output failed (`> /dev/full`): say so and exit 2."""
    import os

    try:  # what is still buffered would fail again at exit: send it nowhere
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass
    where = f"{exc.filename}" if exc.filename else "standard output"
    click.echo(f"error: cannot write to {where}: {exc.strerror or exc}", err=True)
    sys.exit(2)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="evalengine")
def main() -> None:
    """Score performance self-evaluations (绩效自评) of public budget projects."""
