"""Rule packs: YAML files saying how to weight and score. Loaded, merged along `extends:`, and
validated completely before anything is scored, so a Pack that exists is a Pack that is sound.

Every value remembers the file and line it came from (`Pack.origins`), for error messages and for
`evalengine rules show`. Nothing in a pack is ever executed: methods are names from a fixed menu.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evalengine.errors import EvalEngineError, InputError, KeyPath, Location, ReadError
from evalengine.i18n import _, language
from evalengine.limits import MAX_EXTENDS, MAX_PACK_BYTES
from evalengine.packs.model import Pack
from evalengine.packs.validate import _Validator
from evalengine.resources import rules_dir
from evalengine.sources.documents import Document, open_regular, parse_yaml, read_text
from evalengine.text import did_you_mean


def builtin_packs() -> list[str]:
    """The names of the packs shipped in rules/ (mof-2020 …)."""
    return sorted(p.stem for p in rules_dir().glob("*.yaml") if p.stem != "vocabulary")


def resolve(ref: str, base: Path | None = None) -> Path:
    """A built-in pack name (mof-2020) or a path, relative to `base` (the extending file's folder)."""
    if ref in builtin_packs():
        return rules_dir() / f"{ref}.yaml"
    path = Path(ref)
    if not path.is_absolute() and base is not None:
        path = base / path
    if path.suffix.lower() not in (".yaml", ".yml") and not path.exists():
        raise InputError(
            _("no built-in pack or file named {ref!r}", ref=ref),
            hint=_(
                "built-in packs: {packs}{suggestion}",
                packs=", ".join(builtin_packs()),
                suggestion=did_you_mean(ref, builtin_packs()),
            ),
        )
    return path


def _chain(path: Path, seen: tuple[Path, ...] = (), read: list[tuple[Path, str]] | None = None) -> list[Document]:
    """The document at `path` and everything it extends, most basic first; each file's path and text, as
    read, appended to `read` when given."""
    real = path.resolve()
    if real in seen:
        cycle = " -> ".join(p.name for p in (*seen, real))
        raise InputError(
            _("extends: forms a cycle: {cycle}", cycle=cycle), Location(str(path)), hint=_("remove one of the extends:")
        )
    if len(seen) >= MAX_EXTENDS:
        raise ReadError(
            _("extends: the chain is longer than {n} packs, the most evalengine follows", n=MAX_EXTENDS),
            Location(str(path)),
        )
    text = read_text(path, limit=MAX_PACK_BYTES)  # load_yaml, with the text kept for the cache of packs
    if read is not None:
        read.append((path, text))
    doc = parse_yaml(text, str(path))
    if not isinstance(doc.data, dict):
        raise InputError(_("a rule pack must be a mapping of keys (title:, weights: …)"), doc.where(()))
    parent = doc.data.get("extends")
    if parent is None:
        return [doc]
    if not isinstance(parent, str):
        raise InputError(_("extends: takes one pack name or path"), doc.where(("extends",)))
    try:
        parent_path = resolve(parent, path.parent)
        if not parent_path.is_file():  # missing, a folder or a device: said at the extends: line
            open_regular(parent_path, MAX_PACK_BYTES)
    except InputError as exc:
        exc.location = doc.where(("extends",))
        exc.message = _("extends: {message}", message=exc.message)
        raise
    return [*_chain(parent_path, (*seen, real), read), doc]


def _merge(base: Any, over: Any) -> Any:
    """Deep-merge mappings; anything else in `over` replaces. A null value deletes the key."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = _merge(base.get(key), value)
        return out
    return over


def _origins(data: Any, docs: list[Document], path: KeyPath = ()) -> dict[KeyPath, Location]:
    out: dict[KeyPath, Location] = {}
    for doc in reversed(docs):
        if path in doc.marks:
            out[path] = doc.where(path)
            break
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(_origins(value, docs, (*path, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.update(_origins(value, docs, (*path, i)))
    return out


# Packs loaded by this process, by the path asked for and the language of the run: each kept with the path
# and text of every file it was read from. A run loads its pack for each actuals file, and a batch or an audit
# often the same one again: loading (reading, merging, validating) cost about 18 million instructions.
_LOADED: dict[tuple[Path, str], tuple[tuple[tuple[Path, str], ...], Pack]] = {}


_LOADED_KEPT = 8  # packs kept: a run uses one or a few; a test session makes many


def _unchanged(read: tuple[tuple[Path, str], ...]) -> bool:
    """Whether every file a pack was read from still reads as the same text (so the pack would be the same:
    it depends on nothing else but the paths, which are the key)."""
    try:
        return all(read_text(path, limit=MAX_PACK_BYTES) == text for path, text in read)
    except EvalEngineError:  # gone, or no longer readable: loading again says why
        return False


def load_pack(ref: str | Path, base: Path | None = None) -> Pack:
    """Load, merge and validate a pack; raises InputError or ErrorGroup naming file, line and key.

    A pack loaded before in this process is given again (the same object: a Pack is frozen) when every file
    it was read from still holds the same text; a pack that failed is not kept, so it fails again as it did."""
    path = ref if isinstance(ref, Path) else resolve(ref, base)
    key = (path, language())
    kept = _LOADED.get(key)
    if kept is not None and _unchanged(kept[0]):
        return kept[1]
    pack, read = _load(path)
    if len(_LOADED) >= _LOADED_KEPT:
        _LOADED.pop(next(iter(_LOADED)))  # the oldest
    _LOADED[key] = (tuple(read), pack)
    return pack


def _load(path: Path) -> tuple[Pack, list[tuple[Path, str]]]:
    """The pack at `path`, loaded, merged and validated, and the path and text of every file it was read from."""
    read: list[tuple[Path, str]] = []
    docs = _chain(path, (), read)
    data: dict[str, Any] = {}
    for doc in docs:  # examples are the leaf's own: a child's rules may rightly change a parent's scores
        data = _merge(data, {k: v for k, v in doc.data.items() if k not in ("extends", "examples")})
    if docs[-1].data.get("examples") is not None:
        data["examples"] = docs[-1].data["examples"]
    origins = _origins(data, docs)
    name = path.stem if path.parent.resolve() == rules_dir().resolve() else str(path)
    return _Validator(origins, docs[-1].file).build(name, data), read
