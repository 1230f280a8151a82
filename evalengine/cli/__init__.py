"""The evalengine command line: one module per command. Only this package prints or exits.

Exit codes: 0 success, 1 findings (with --strict), 2 bad input (never a traceback).

Each command's module is imported when its command runs (evalengine.cli.app.COMMANDS).
"""

from evalengine.cli.app import main

__all__ = ["main"]
