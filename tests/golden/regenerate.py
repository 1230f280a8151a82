"""Rewrite the golden files from the engine's current output: run on purpose, read the diff, commit.

    python tests/golden/regenerate.py          # rewrite every golden file, list the ones that changed
    python tests/golden/regenerate.py --check  # write nothing; exit 1 if any would change

The tests only compare against these files (tests/test_score_cli.py); they never write them, so a
change in the output fails the suite until a developer has looked at it and regenerated.
"""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

from evalengine.cli import main

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent.parent / "examples" / "zunhua-2024"

# golden file (in this folder) -> the evalengine arguments whose standard output it holds
GOLDEN_FILES: dict[str, tuple[str, ...]] = {
    "zunhua-2024.md": ("score", str(EXAMPLE / "actuals.yaml"), "--lang", "zh"),  # a Chinese document, as users get it
    "zunhua-2024-review.md": ("review", str(EXAMPLE / "targets.yaml"), "--lang", "zh"),  # a Chinese document
}


def produce(args: tuple[str, ...]) -> str:
    """What `evalengine ARGS` prints, exactly as the test runs it."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    if result.exit_code != 0:
        raise SystemExit(f"evalengine {' '.join(args)} exited {result.exit_code}:\n{result.output}")
    return result.stdout


def regenerate(check: bool = False) -> list[str]:
    """The golden files whose content changes; written unless `check`."""
    changed = []
    for name, args in GOLDEN_FILES.items():
        path = HERE / name
        text = produce(args)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            changed.append(name)
            if not check:
                path.write_text(text, encoding="utf-8")
    return changed


if __name__ == "__main__":
    check = "--check" in sys.argv[1:]
    changed = regenerate(check)
    verb = "would change" if check else "rewritten"
    print("\n".join(f"{verb}: tests/golden/{name}" for name in changed) or "golden files unchanged")
    sys.exit(1 if check and changed else 0)
