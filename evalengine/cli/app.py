"""The `evalengine` command group, exit codes, and the one place user errors become messages.

Exit codes: 0 success, 1 findings (with --strict), 2 bad input (never a traceback).
"""

from __future__ import annotations

import errno
import functools
import inspect
import io
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import click

from evalengine.cli import wrap
from evalengine.errors import EvalEngineError
from evalengine.i18n import LANGUAGES, N_, LanguageError, _, choose_language, plural_form, set_language

F = TypeVar("F", bound=Callable[..., Any])


def user_errors(func: F) -> F:
    """Turn evalengine's input errors into a message on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except EvalEngineError as exc:
            click.echo(_("error: {message}", message=exc), err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


LANG_HELP = N_(
    "Language of messages and help: zh (中文) or en. Default: EVALENGINE_LANG, else the locale (LANG), else zh."
)


HELP_HELP = N_("Show this message and exit.")


def _lang_from_args(args: list[str]) -> str | None:
    """The value of --lang wherever it stands (before a `--`), so that help and click's own errors follow it."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _choose_language(args: list[str]) -> None:
    """Speak the language of --lang, EVALENGINE_LANG or the locale; a language we do not speak is exit 2."""
    option = _lang_from_args(args)
    try:
        set_language(choose_language(option if option in LANGUAGES else None))
    except LanguageError as exc:
        set_language("zh")
        message = _("{setting}: the language is zh or en", setting=exc.setting)
        click.echo(_("error: {message}", message=message), err=True)
        sys.exit(2)
    # an unknown --lang value is refused by the option itself, in the language chosen otherwise


def _click_gettext(message: str) -> str:
    return _(message)


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return plural_form(singular, plural, n)


def _speak_clicks_language() -> None:
    """Click's own words (Usage:, Options, "Missing argument", "No such option") from our catalogue.

    Click looks them up through the gettext function each of its modules imported; those are
    pointed at the catalogue, which holds click's messages as click writes them (tests/test_messages.py
    checks that each is still one of click's). Click fills the fields in itself.
    """
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types
    import click.utils

    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.termui,
        click.types,
        click.utils,
    ):
        if hasattr(module, "_"):
            module._ = _click_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _click_ngettext  # type: ignore[attr-defined]


_speak_clicks_language()
wrap.install()  # help wrapped in terminal columns: a Chinese character takes two


def _translate_help(text: str | None) -> str | None:
    """A command's or option's help, written in English in the code, in the language of this run."""
    return _(inspect.cleandoc(text)) if text else text


class _Command(click.Command):
    """A command whose help is written in the language of the run, with --lang among its options."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.append(_lang_option())

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:  # click words it once, in the language of the first run: word it for this run
            option.help = _(HELP_HELP)
        return option

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated(self):
            return super().get_short_help_str(limit)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated(self):
            super().format_help_text(ctx, formatter)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated(*self.get_params(ctx)):
            super().format_options(ctx, formatter)


@contextmanager
def _translated(*items: click.Command | click.Parameter) -> Iterator[None]:
    """Show the help of `items` in the run's language while click formats it, and put the English back."""
    saved = [(item, getattr(item, "help", None), getattr(item, "short_help", None)) for item in items]
    try:
        for item, help_text, short in saved:
            if help_text:
                item.help = _translate_help(help_text)
            if short and isinstance(item, click.Command):
                item.short_help = _translate_help(short)
        yield
    finally:
        for item, help_text, short in saved:
            if help_text:
                item.help = help_text
            if short and isinstance(item, click.Command):
                item.short_help = short


def _lang_option() -> click.Option:
    # read before click parses (see _choose_language); declared so that help shows it and a bad value is refused
    return click.Option(["--lang"], type=click.Choice(LANGUAGES), expose_value=False, help=LANG_HELP)


class _Group(_Command, click.Group):
    """A command group with translated help whose commands and sub-groups are translated the same way."""

    command_class = _Command
    group_class: type[click.Group] | type[type] = type

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated(*self.get_params(ctx)):
            click.Command.format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)


# Each command's module, imported when the command is asked for: a run of `score` does not load the
# audit's, the review's or the monitor's code (and what they import). Help lists them all, and imports all.
COMMANDS = {
    "audit": "audit",
    "check": "check",
    "history": "history",
    "import": "importing",
    "init": "init",
    "mappings": "mappings",
    "monitor": "monitor",
    "parse": "parse",
    "review": "review",
    "rules": "rules",
    "score": "score",
}


class _Main(_Group):
    """The command group: each command is a run of its own, and a failing stdout is a message, not a traceback."""

    group_class = _Group  # its sub-groups (history, rules, mappings) hold their own commands only

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS.keys() | self.commands.keys())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            import importlib

            # its decorator adds it to main; a name that is no command loads them all, for click's "Did you mean"
            for module in [COMMANDS[cmd_name]] if cmd_name in COMMANDS else COMMANDS.values():
                importlib.import_module(f"evalengine.cli.{module}")
        return super().get_command(ctx, cmd_name)

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        from evalengine.sources.documents import forget_inputs

        forget_inputs()
        _choose_language(list(sys.argv[1:] if args is None else args))
        try:
            return super().main(args, *rest, **kwargs)
        except OSError as exc:  # click has already ended a closed pipe (`| head`) quietly
            _stdout_failed(exc)

    def invoke(self, ctx: click.Context) -> Any:
        result = super().invoke(ctx)
        sys.stdout.flush()  # a full disk shows here, not in an unraisable error at exit
        return result


# The system's reasons for a failed write, as glibc words them, in the catalogue: a Chinese run says them in
# Chinese. A reason worded otherwise (another system, another errno) is shown as the system gives it.
_OS_REASONS = {
    errno.ENOSPC: N_("No space left on device"),
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.EROFS: N_("Read-only file system"),
    errno.ENAMETOOLONG: N_("File name too long"),
    errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.EPIPE: N_("Broken pipe"),
    errno.EIO: N_("Input/output error"),
    errno.EFBIG: N_("File too large"),
}


def os_reason(exc: OSError) -> str:
    """Why the system refused, in the run's language where the catalogue has its words."""
    said = exc.strerror or type(exc).__name__
    known = _OS_REASONS.get(exc.errno) if exc.errno is not None else None
    return _(known) if known == said else said


def _stdout_failed(exc: OSError) -> NoReturn:
    """Writing the report to standard output failed (`> /dev/full`): say so and exit 2."""
    import os

    try:  # what is still buffered would fail again at exit: send it nowhere
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass
    where = f"{exc.filename}" if exc.filename else _("standard output")
    message = _("cannot write to {where}: {reason}", where=where, reason=os_reason(exc) if exc.strerror else exc)
    click.echo(_("error: {message}", message=message), err=True)
    sys.exit(2)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="evalengine", help=N_("Show the version and exit."))
def main() -> None:
    """Score performance self-evaluations (绩效自评) of public budget projects."""
