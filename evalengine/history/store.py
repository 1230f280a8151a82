"""The history file: every recorded run in one SQLite database (the standard library's sqlite3, no server).

Safe storage, because a year's results are kept for years:
- the schema is versioned (`PRAGMA user_version`) and migrated forward in one transaction; a file from a
  newer evalengine, or one that is not ours (`PRAGMA application_id`), is refused, never altered;
- every write is one `BEGIN IMMEDIATE` transaction, so a run killed mid-write leaves what was recorded
  before it and nothing of itself;
- WAL mode and a busy timeout let two runs record at once: the second waits for the first.

Decimals are stored as text, exactly as the engine computed them. This is the only module that imports
sqlite3; it knows rows, not scorecards (history.record builds the rows).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from evalengine.errors import InputError, Location
from evalengine.i18n import _
from evalengine.pipeline import Baseline, Prior

DEFAULT_NAME = "evalengine-history.sqlite"
APPLICATION_ID = 0x45564C48  # "EVLH": marks the file as an evalengine history
BUSY_TIMEOUT_S = 60  # a concurrent run holds the write lock for one run's rows: well under this

# Each entry takes the schema from version i to i + 1. Append only: a released step is never edited.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        department TEXT NOT NULL,
        year INTEGER NOT NULL,
        identity TEXT NOT NULL,          -- sha256 of the inputs, the pack and the baselines read
        current INTEGER NOT NULL,        -- 1 for the run that stands for its department and year
        recorded_at TEXT NOT NULL,       -- ISO 8601, UTC
        engine TEXT NOT NULL,            -- the evalengine version that scored it
        pack_name TEXT NOT NULL,
        pack_hash TEXT NOT NULL,         -- sha256 of the pack's effective content
        pack_content TEXT NOT NULL,      -- that content, JSON, for replay
        encoding TEXT,
        projects INTEGER NOT NULL,       -- how many project rows belong to it
        UNIQUE (department, year, identity)
    );
    CREATE TABLE inputs (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        role TEXT NOT NULL,              -- actuals | targets
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        content BLOB NOT NULL,
        PRIMARY KEY (run_id, role)
    );
    CREATE TABLE projects (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        position INTEGER NOT NULL,
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        total TEXT NOT NULL,
        grade TEXT NOT NULL,
        budget TEXT NOT NULL,
        spent TEXT NOT NULL,
        rate TEXT NOT NULL,
        execution_weight TEXT NOT NULL,
        execution_score TEXT NOT NULL,
        notes TEXT NOT NULL,             -- JSON list
        PRIMARY KEY (run_id, code)
    );
    CREATE TABLE indicators (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        code TEXT NOT NULL,
        position INTEGER NOT NULL,
        level1 TEXT NOT NULL,
        level2 TEXT NOT NULL,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,          -- NFKC, stripped: how names match across years
        target TEXT NOT NULL,
        written TEXT NOT NULL,           -- the actual as the evaluator wrote it
        actual TEXT NOT NULL,            -- as the report shows it
        value TEXT,                      -- normalised: in the base unit, when the actual is a number
        unit TEXT,
        value_text TEXT,                 -- that number as written (88%, 1.2万元)
        baseline TEXT,                   -- the baseline judged against, base unit
        baseline_unit TEXT,
        baseline_text TEXT,
        baseline_year INTEGER,           -- set when the baseline came from history
        weight TEXT NOT NULL,
        score TEXT NOT NULL,
        status TEXT NOT NULL,
        tier TEXT,
        PRIMARY KEY (run_id, code, position)
    );
    CREATE TABLE findings (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        code TEXT NOT NULL,
        position INTEGER NOT NULL,
        severity TEXT NOT NULL,
        finding TEXT NOT NULL,
        indicator TEXT,
        message TEXT NOT NULL,
        PRIMARY KEY (run_id, code, position)
    );
    CREATE INDEX runs_by_year ON runs (year, current);
    CREATE INDEX indicators_by_name ON indicators (code, name_key);
    CREATE INDEX projects_by_code ON projects (code);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass
class RunRecord:
    """One scored actuals file, as rows: what `Store.record` writes in one transaction."""

    department: str
    year: int
    identity: str
    recorded_at: str
    engine: str
    pack_name: str
    pack_hash: str
    pack_content: str
    encoding: str | None
    inputs: list[tuple[str, str, str, bytes]]  # (role, path, sha256, content)
    projects: list[dict[str, Any]]  # the projects table's columns, each with "indicators" and "findings" lists


@dataclass
class Run:
    """A recorded run's header."""

    id: int
    department: str
    year: int
    current: bool
    recorded_at: str
    engine: str
    pack_name: str
    pack_hash: str
    projects: int
    encoding: str | None
    identity: str = field(repr=False)


RUN_COLUMNS = "id, department, year, current, recorded_at, engine, pack_name, pack_hash, projects, encoding, identity"


def _run(row: Sequence[Any]) -> Run:
    return Run(row[0], row[1], row[2], bool(row[3]), *row[4:11])


class Store:
    """An open history file. Reading methods return plain rows; `record` is the one write."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn
        self.conn.row_factory = sqlite3.Row

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite when the last one closes)."""
        self.conn.close()

    # ---- writing
    def record(self, run: RunRecord) -> tuple[int, bool]:
        """Write `run` in one transaction: (its id, whether it is new). The same inputs recorded again are
        not duplicated; a run for a department and year already stored becomes the current one."""
        with self._write():
            found = self.conn.execute(
                "SELECT id FROM runs WHERE department = ? AND year = ? AND identity = ?",
                (run.department, run.year, run.identity),
            ).fetchone()
            self.conn.execute(
                "UPDATE runs SET current = 0 WHERE department = ? AND year = ?", (run.department, run.year)
            )
            if found is not None:
                self.conn.execute("UPDATE runs SET current = 1 WHERE id = ?", (found[0],))
                return int(found[0]), False
            cursor = self.conn.execute(
                "INSERT INTO runs (department, year, identity, current, recorded_at, engine, pack_name, pack_hash,"
                " pack_content, encoding, projects) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run.department,
                    run.year,
                    run.identity,
                    run.recorded_at,
                    run.engine,
                    run.pack_name,
                    run.pack_hash,
                    run.pack_content,
                    run.encoding,
                    len(run.projects),
                ),
            )
            run_id = cursor.lastrowid
            assert run_id is not None
            self.conn.executemany(
                "INSERT INTO inputs (run_id, role, path, sha256, content) VALUES (?, ?, ?, ?, ?)",
                [(run_id, *item) for item in run.inputs],
            )
            for position, project in enumerate(run.projects):
                self._project(run_id, position, project)
            return run_id, True

    def _project(self, run_id: int, position: int, p: dict[str, Any]) -> None:
        code = p["code"]
        self.conn.execute(
            "INSERT INTO projects (run_id, position, code, name, total, grade, budget, spent, rate,"
            " execution_weight, execution_score, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                position,
                code,
                p["name"],
                p["total"],
                p["grade"],
                p["budget"],
                p["spent"],
                p["rate"],
                p["execution_weight"],
                p["execution_score"],
                json.dumps(p["notes"], ensure_ascii=False),
            ),
        )
        columns = INDICATOR_COLUMNS
        self.conn.executemany(
            f"INSERT INTO indicators (run_id, code, position, {', '.join(columns)})"
            f" VALUES (?, ?, ?, {', '.join('?' * len(columns))})",
            [(run_id, code, n, *(row[c] for c in columns)) for n, row in enumerate(p["indicators"])],
        )
        self.conn.executemany(
            "INSERT INTO findings (run_id, code, position, severity, finding, indicator, message)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(run_id, code, n, *f) for n, f in enumerate(p["findings"])],
        )

    def _write(self) -> _Transaction:
        return _Transaction(self)

    # ---- what the pipeline reads (pipeline.History)
    def baseline(self, code: str, indicator: str, year: int) -> Baseline | None:
        """The number recorded for `indicator` of project `code` in `year` (the current run), if any."""
        row = self.conn.execute(
            "SELECT i.value, i.unit, i.value_text FROM indicators i JOIN runs r ON r.id = i.run_id"
            " WHERE r.current = 1 AND r.year = ? AND i.code = ? AND i.name_key = ? AND i.value IS NOT NULL"
            " ORDER BY r.id DESC LIMIT 1",
            (year, code, indicator),
        ).fetchone()
        if row is None:
            return None
        return Baseline(year, Decimal(row["value"]), row["unit"], row["value_text"] or "")

    def prior(self, code: str, year: int) -> Prior | None:
        """Project `code`'s recorded total in `year` (the current run), if any."""
        row = self.conn.execute(
            "SELECT p.total, p.grade FROM projects p JOIN runs r ON r.id = p.run_id"
            " WHERE r.current = 1 AND r.year = ? AND p.code = ? ORDER BY r.id DESC LIMIT 1",
            (year, code),
        ).fetchone()
        return None if row is None else Prior(year, Decimal(row["total"]), row["grade"])

    # ---- what the history commands read
    def runs(self, year: int | None = None, department: str | None = None, everything: bool = False) -> list[Run]:
        """Recorded runs, oldest year first; only the current ones unless `everything`."""
        where: list[str] = ["1 = 1"]
        args: list[Any] = []
        if not everything:
            where.append("current = 1")
        if year is not None:
            where.append("year = ?")
            args.append(year)
        if department is not None:
            where.append("department = ?")
            args.append(department)
        rows = self.conn.execute(
            f"SELECT {RUN_COLUMNS} FROM runs WHERE {' AND '.join(where)} ORDER BY department, year, id", args
        ).fetchall()
        return [_run(row) for row in rows]

    def counts(self) -> dict[tuple[str, int], int]:
        """How many runs each department and year has recorded."""
        rows = self.conn.execute("SELECT department, year, count(*) FROM runs GROUP BY department, year")
        return {(r[0], r[1]): r[2] for r in rows}

    def projects(self, run_id: int) -> list[sqlite3.Row]:
        """A run's projects, in the order scored."""
        return self.conn.execute("SELECT * FROM projects WHERE run_id = ? ORDER BY position", (run_id,)).fetchall()

    def indicators(self, run_id: int, code: str | None = None) -> list[sqlite3.Row]:
        """A run's indicators (of one project), in order."""
        if code is None:  # rows go in project by project, indicator by indicator
            return self.conn.execute("SELECT * FROM indicators WHERE run_id = ? ORDER BY rowid", (run_id,)).fetchall()
        sql = "SELECT * FROM indicators WHERE run_id = ? AND code = ? ORDER BY position"
        return self.conn.execute(sql, (run_id, code)).fetchall()

    def findings(self, run_id: int, code: str) -> list[sqlite3.Row]:
        """A project's findings in a run, in order."""
        return self.conn.execute(
            "SELECT * FROM findings WHERE run_id = ? AND code = ? ORDER BY position", (run_id, code)
        ).fetchall()

    def inputs(self, run_id: int) -> dict[str, sqlite3.Row]:
        """A run's stored input files by role (actuals, targets)."""
        rows = self.conn.execute("SELECT * FROM inputs WHERE run_id = ?", (run_id,)).fetchall()
        return {row["role"]: row for row in rows}

    def pack(self, run_id: int) -> str:
        """The effective pack a run was scored under, as JSON."""
        row = self.conn.execute("SELECT pack_content FROM runs WHERE id = ?", (run_id,)).fetchone()
        return str(row[0])

    def across_years(self, code: str) -> list[tuple[Run, sqlite3.Row]]:
        """Project `code` in every current run that holds it, oldest year first."""
        rows = self.conn.execute(
            f"SELECT {', '.join('r.' + c.strip() for c in RUN_COLUMNS.split(','))}, p.* FROM projects p"
            " JOIN runs r ON r.id = p.run_id WHERE r.current = 1 AND p.code = ? ORDER BY r.year, r.id",
            (code,),
        ).fetchall()
        return [(_run(row), row) for row in rows]

    def codes(self) -> list[str]:
        """Every recorded project code, for a "did you mean"."""
        return [r[0] for r in self.conn.execute("SELECT DISTINCT code FROM projects ORDER BY code")]

    def check(self) -> list[str]:
        """What is wrong with the file (empty when nothing): SQLite's integrity check, and every run whole."""
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        rows = self.conn.execute(
            "SELECT r.id, r.projects, (SELECT count(*) FROM projects p WHERE p.run_id = r.id) FROM runs r"
        )
        problems += [
            _("run {run} holds {n} of its {want} projects", run=i, n=n, want=want) for i, want, n in rows if n != want
        ]
        currents = self.conn.execute(
            "SELECT department, year FROM runs GROUP BY department, year HAVING sum(current) != 1"
        ).fetchall()
        problems += [_("{department} {year}: not exactly one current run", department=d, year=y) for d, y in currents]
        return problems


INDICATOR_COLUMNS = (
    "level1",
    "level2",
    "name",
    "name_key",
    "target",
    "written",
    "actual",
    "value",
    "unit",
    "value_text",
    "baseline",
    "baseline_unit",
    "baseline_text",
    "baseline_year",
    "weight",
    "score",
    "status",
    "tier",
)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception: a write is whole or absent."""

    def __init__(self, store: Store):
        self.store = store

    def __enter__(self) -> None:
        _begin(self.store.conn, self.store.path)

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        conn = self.store.conn
        if kind is None:
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as error:
                conn.execute("ROLLBACK")
                raise _failed(self.store.path, error) from None
        else:
            conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise _failed(self.store.path, exc) from None


def _begin(conn: sqlite3.Connection, path: Path) -> None:
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as error:
        raise _failed(path, error) from None


def _failed(path: Path, error: sqlite3.Error) -> InputError:
    return InputError(
        _("history file: {error}", error=error), Location(str(path)), hint=_("is another program holding it?")
    )


HEADER = b"SQLite format 3\x00"


def open_store(path: Path, *, create: bool = False) -> Store:
    """Open the history file at `path`, creating it when `create` (score --record); migrate it forward.

    Refused with a clear InputError (exit 2): a missing file when not creating, a file that is not an
    SQLite database, an SQLite database that is not an evalengine history, one from a newer evalengine.
    """
    where = Location(str(path))
    if path.is_dir():
        raise InputError(_("the history file is a directory"), where, hint=_("name a file: --history history.sqlite"))
    exists = path.is_file() and path.stat().st_size > 0
    if not exists and not create:
        raise InputError(
            _("no history file here"),
            where,
            hint=_("record a year first (evalengine score actuals.yaml --record --history FILE), or name the file"),
        )
    if exists:
        with open(path, "rb") as handle:
            if handle.read(16) != HEADER:
                raise InputError(_("not an evalengine history file: it is not an SQLite database"), where)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as error:
        raise InputError(_("cannot open the history file: {error}", error=error), where) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        _migrate(conn, path, create)
        _wal(conn, path)
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return Store(path, conn)


def _version(conn: sqlite3.Connection, path: Path) -> tuple[int, int, int]:
    """(application_id, user_version, number of tables) of the open database."""
    try:
        app = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise InputError(_("not an evalengine history file: {error}", error=error), Location(str(path))) from None
    return int(app), int(version), int(tables)


def _refuse(app: int, version: int, tables: int, path: Path) -> None:
    where = Location(str(path))
    if app != APPLICATION_ID and (tables or version):
        raise InputError(
            _("not an evalengine history file: an SQLite database of another program"),
            where,
            hint=_("name another file with --history; this one is left as it is"),
        )
    if version > SCHEMA_VERSION:
        raise InputError(
            _(
                "this history file has schema version {version}, written by a newer evalengine; "
                "this one reads up to version {supported}",
                version=version,
                supported=SCHEMA_VERSION,
            ),
            where,
            hint=_("upgrade evalengine to read it; the file is left as it is"),
        )


def _migrate(conn: sqlite3.Connection, path: Path, create: bool) -> None:
    """Bring the schema to SCHEMA_VERSION, all steps in one transaction; another process may race us here."""
    app, version, tables = _version(conn, path)
    _refuse(app, version, tables, path)
    if version == SCHEMA_VERSION:
        return
    if version == 0 and not create and not tables:
        raise InputError(_("the history file is empty: nothing has been recorded in it"), Location(str(path)))
    _begin(conn, path)
    try:
        app, version, tables = _version(conn, path)  # again, under the write lock
        _refuse(app, version, tables, path)
        for step in MIGRATIONS[version:]:
            for statement in filter(str.strip, step.split(";")):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _wal(conn: sqlite3.Connection, path: Path) -> None:
    """WAL mode (persistent in the file): readers never block the writer, nor it them."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")  # on a read-only file it stays as it is; reading works
            return
        except sqlite3.OperationalError as error:  # another process switching it at the same moment
            if time.monotonic() > deadline:
                raise _failed(path, error) from None
            time.sleep(0.05)


def all_rows(store: Store, everything: bool) -> Iterator[tuple[Run, sqlite3.Row, sqlite3.Row]]:
    """(run, project, indicator) for every indicator of the current runs (all runs if `everything`)."""
    for run in store.runs(everything=everything):
        projects = {p["code"]: p for p in store.projects(run.id)}
        for ind in store.indicators(run.id):
            yield run, projects[ind["code"]], ind
