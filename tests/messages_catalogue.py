"""The message catalogue's tools: what the code says, what it says untranslated, and adding new messages.

    python tests/messages_catalogue.py            # list messages without Chinese, and raw messages
    python tests/messages_catalogue.py --update   # append the code's new messages (msgstr "") to the PO
    python tests/messages_catalogue.py --fill zh.yaml   # write translations: a YAML map English → Chinese

Messages are found in the code's syntax tree, never by running it:
- `_("…", field=…)`, `N_("…")` and `ngettext("…", "…", n, …)` calls;
- the help of the command line: `help="…"` in evalengine/cli, and the docstring of every function a
  `@….command(…)` or `@….group(…)` decorates (click shows both in --help).
`raw_messages` finds text shown to users that does not go through the catalogue: a string literal or
f-string given straight to an error class, to click.echo, or as `message=`/`hint=`.
`--update` only appends, so branches that add messages merge line by line (.gitattributes: union).
"""

from __future__ import annotations

import ast
import builtins
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "evalengine"
PO = ROOT / "locale" / "zh_CN" / "LC_MESSAGES" / "evalengine.po"
CLICK = "#. click"  # the comment of entries that translate click's own messages


@dataclass
class Message:
    msgid: str
    plural: str | None = None
    where: list[str] = field(default_factory=list)  # file:line of every use
    # keyword sets given at each use, None for a use that fills nothing in or passes **fields
    uses: list[tuple[str, frozenset[str] | None]] = field(default_factory=list)


def fields(text: str) -> set[str]:
    """The {names} a message fills in ({{ and }} are braces, not fields)."""
    return {name.split(".")[0].split("[")[0] for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def _is_str(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _keywords(call: ast.Call) -> frozenset[str] | None:
    if any(k.arg is None for k in call.keywords):
        return None
    return frozenset(k.arg for k in call.keywords if k.arg)


def _is_command(func: ast.FunctionDef) -> bool:
    for deco in func.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        if _name(target) in {"command", "group"}:
            return True
    return False


def extract(root: Path = PACKAGE) -> dict[str, Message]:
    """Every message of the code, by msgid, in the order of the files and lines that use it."""
    found: dict[str, Message] = {}

    def add(msgid: str, where: str, plural: str | None = None, keywords: frozenset[str] | None = None) -> None:
        message = found.setdefault(msgid, Message(msgid, plural))
        message.where.append(where)
        message.uses.append((where, keywords))

    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), rel)
        in_cli = "/cli/" in f"/{rel}"
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = _name(node.func)
                where = f"{rel}:{node.lineno}"
                if name in {"_", "N_"} and node.args and _is_str(node.args[0]):
                    add(node.args[0].value, where, None, _keywords(node) if name == "_" else None)  # type: ignore[attr-defined]
                elif name == "ngettext" and len(node.args) >= 2 and _is_str(node.args[0]) and _is_str(node.args[1]):
                    keywords = _keywords(node)
                    add(node.args[0].value, where, node.args[1].value, None if keywords is None else keywords | {"n"})  # type: ignore[attr-defined]
                if in_cli:
                    for kw in node.keywords:
                        if kw.arg in {"help", "short_help"} and _is_str(kw.value):
                            add(kw.value.value, where)  # type: ignore[attr-defined]
            elif isinstance(node, ast.FunctionDef) and in_cli and _is_command(node):
                doc = ast.get_docstring(node, clean=True)
                if doc:
                    add(doc, f"{rel}:{node.lineno}")
    return found


BUILTINS = set(dir(builtins))
ERROR_CALLS = ("Error", "ErrorGroup", "Warning", "UsageError", "BadParameter", "ClickException", "Abort")


def raw_messages(root: Path = PACKAGE) -> list[str]:
    """Text shown to users that bypasses the catalogue, as file:line: what."""
    out: list[str] = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), rel)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            raw = lambda v: isinstance(v, ast.JoinedStr) or (_is_str(v) and v.value.strip())  # noqa: E731
            first = node.args[0] if node.args else None
            if name in BUILTINS:  # AttributeError, TypeError …: a programmer's mistake, not a user's
                continue
            if (name.endswith(ERROR_CALLS) or name == "echo") and first is not None and raw(first):
                out.append(f"{rel}:{node.lineno}: {name}({ast.unparse(first)[:60]})")
            for kw in node.keywords:
                if kw.arg in {"message", "hint"} and raw(kw.value):
                    out.append(f"{rel}:{node.lineno}: {kw.arg}={ast.unparse(kw.value)[:60]}")
    return out


def _quote(text: str) -> str:
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = body.split("\n")
    if len(lines) == 1:
        return f'"{body}"'
    parts = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return '""\n' + "\n".join(f'"{part}"' for part in parts)


def entry(message: Message, translation: str = "") -> str:
    files = sorted({w.rsplit(":", 1)[0] for w in message.where})
    head = f"#: {' '.join(files)}\n" if files else ""
    if message.plural is not None:
        return (
            f"{head}msgid {_quote(message.msgid)}\nmsgid_plural {_quote(message.plural)}\n"
            f"msgstr[0] {_quote(translation)}\n"
        )
    return f"{head}msgid {_quote(message.msgid)}\nmsgstr {_quote(translation)}\n"


def catalogue_ids(text: str) -> list[str]:
    """The msgids of a PO file, in order, duplicates kept (the header's empty msgid left out)."""
    from evalengine.i18n import _unquote

    ids: list[str] = []
    for block in text.split("\n\n"):
        current: str | None = None
        for line in block.split("\n"):
            if line.startswith("msgid "):
                current = _unquote(line[6:])
            elif line.startswith('"') and current is not None:
                current += _unquote(line)
            elif current is not None:
                break
        if current:
            ids.append(current)
    return ids


def update() -> list[str]:
    """Append the code's messages the catalogue lacks, with an empty translation; return their ids."""
    text = PO.read_text(encoding="utf-8")
    known = set(catalogue_ids(text))
    new = [m for m in extract().values() if m.msgid not in known]
    if new:
        with PO.open("a", encoding="utf-8") as out:
            for message in new:
                out.write("\n" + entry(message))
    return [m.msgid for m in new]


def fill(translations: dict[str, str]) -> list[str]:
    """Write each translation into its entry (added first if the code has it and the PO not); return the
    English of those the code does not say."""
    update()
    messages = extract()
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    done: set[str] = set()
    for i, block in enumerate(blocks):
        ids = catalogue_ids(block)
        if ids and ids[0] in translations and ids[0] in messages and CLICK not in block:
            blocks[i] = entry(messages[ids[0]], translations[ids[0]]).rstrip("\n")
            done.add(ids[0])
    text = "\n\n".join(blocks)
    PO.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return [msgid for msgid in translations if msgid not in done]


def main(argv: list[str]) -> int:
    if "--update" in argv:
        for msgid in update():
            print(f"added: {msgid!r}")
    if "--fill" in argv:
        import yaml

        source = Path(argv[argv.index("--fill") + 1])
        for msgid in fill(yaml.safe_load(source.read_text(encoding="utf-8")) or {}):
            print(f"not in the code, not written: {msgid!r}")
    from evalengine.i18n import read_po

    singles, plurals = read_po(PO.read_text(encoding="utf-8"))
    missing = [m for m in extract().values() if m.msgid not in (plurals if m.plural is not None else singles)]
    for m in missing:
        print(f"no Chinese: {m.where[0]}: {m.msgid!r}")
    raw = raw_messages()
    for line in raw:
        print(f"raw: {line}")
    return 1 if missing or raw else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
