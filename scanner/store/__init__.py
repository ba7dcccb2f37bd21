"""The results store: every run and its findings, in SQLite by default or any SQLAlchemy database.

``Store(url)`` opens (and creates or migrates) the database. A run is written in one
transaction (:meth:`Store.save`), so a reader or a crash never sees half a run, and
read back whole as the same :class:`~scanner.model.ScanResult` the scan produced
(:meth:`Store.load`). Text is scrubbed of every known secret before it is written:
the database is a report too.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from scanner.masking import REDACTOR
from scanner.model import (
    CheckInfo,
    Evidence,
    Finding,
    HostInfo,
    RunInfo,
    ScanResult,
    Severity,
    Status,
    Summary,
    Waiver,
)
from scanner.store import schema
from scanner.store.migrations import MigrationError, migrate

DB_ENV = "NETCOMPLY_DB"
DEFAULT_FILE = "netcomply.db"


class StoreError(Exception):
    """The store cannot be opened, read or written; the message says which database and why."""


@dataclass(frozen=True)
class Scope:
    """What a run scanned. Runs of one scope form a history; the scan lock is per scope."""

    key: str
    label: str

    @classmethod
    def of(cls, inventory: str | Path | None, snapshots: str | Path | None) -> Scope:
        parts = []
        if inventory is not None:
            parts.append(f"inventory {Path(inventory).resolve()}")
        if snapshots is not None:
            parts.append(f"snapshots {Path(snapshots).resolve()}")
        label = ", ".join(parts) or "(nothing)"
        return cls(hashlib.sha256(label.encode("utf-8")).hexdigest()[:16], label)


@dataclass(frozen=True)
class RunRow:
    """A run as `netcomply runs` lists it (no findings loaded)."""

    id: str
    scope_key: str
    scope: str
    started: datetime
    finished: datetime | None
    exit_code: int
    hosts: int
    checks: int
    findings: int
    by_status: dict[str, int]


def default_database_path() -> Path:
    """``netcomply.db`` in the user's data folder ($XDG_DATA_HOME/netcomply on Linux)."""
    from platformdirs import user_data_path

    return user_data_path("netcomply", appauthor=False) / DEFAULT_FILE


def resolve_url(given: str | None, policy_value: str | None = None) -> str:
    """--db (or $NETCOMPLY_DB), else the policy's ``store.database``, else the default file.

    A value with ``://`` is an SQLAlchemy URL; anything else is a path to an SQLite file.
    A plain ``postgresql://`` URL uses the psycopg (3) driver of ``netcomply[postgres]``.
    """
    value = given or os.environ.get(DB_ENV) or policy_value
    if not value:
        return f"sqlite:///{default_database_path()}"
    if value.startswith(("postgresql://", "postgres://")):
        # SQLAlchemy's default PostgreSQL driver is psycopg2; netcomply[postgres] installs psycopg 3.
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def describe_url(url: str | URL) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparseable database URL)"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_json_safe(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _scrub(text: str) -> str:
    return REDACTOR.scrub(text)


class Store:
    """One database of runs. Open it, use it, :meth:`close` it (or use ``with``)."""

    def __init__(self, url: str) -> None:
        try:
            self.url = make_url(url)
        except ArgumentError as exc:
            raise StoreError(f"not a database URL: {exc}") from None
        self.description = describe_url(self.url)
        self.engine = self._connect()
        try:
            with self.engine.begin() as conn:
                migrate(conn)
        except MigrationError as exc:
            self.engine.dispose()
            raise StoreError(f"{self.description}: {exc}") from None
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise StoreError(f"cannot open the store {self.description}: {_reason(exc)}") from None

    # ---- connection ---------------------------------------------------------------------

    @property
    def sqlite_path(self) -> Path | None:
        """The database file for a file-backed SQLite store, else None."""
        if self.url.get_backend_name() != "sqlite":
            return None
        database = self.url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            return None
        return Path(database)

    def _connect(self) -> Engine:
        if self.url.get_backend_name() != "sqlite":
            try:
                return create_engine(self.url, pool_pre_ping=True)
            except (ArgumentError, ImportError) as exc:
                raise StoreError(f"cannot use {self.description}: {exc}") from None
        path = self.sqlite_path
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder for {path}: {exc.strerror or exc}") from None
        engine = create_engine(self.url, poolclass=NullPool, connect_args={"timeout": 60})

        # pysqlite's own transaction handling defers BEGIN and never locks for writing
        # up front; take over (SQLAlchemy's documented recipe) so every transaction is
        # BEGIN IMMEDIATE: writers queue on the busy timeout instead of failing midway.
        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if path is not None:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ---- writing ------------------------------------------------------------------------

    def save(self, result: ScanResult, scope: Scope) -> None:
        """Write the run and all its findings in one transaction."""
        summary = result.summary
        run_row = {
            "id": result.run.id,
            "scope_key": scope.key,
            "scope": scope.label,
            "started": _iso(result.run.started),
            "finished": _iso(result.run.finished),
            "version": result.run.version,
            "fail_on": result.fail_on.label,
            "exit_code": summary.exit_code,
            "hosts_count": summary.hosts,
            "checks_count": summary.checks,
            "findings_count": summary.findings,
            "by_status": summary.by_status,
            "by_severity": summary.by_severity,
            "notes": [_scrub(n) for n in summary.notes],
            "inputs": _json_safe(result.run.inputs),
            "checks": [c.to_dict() for c in result.checks],
            "hosts": [
                {
                    "name": h.name,
                    "platform": h.platform,
                    "address": h.address,
                    "groups": list(h.groups),
                    "data": _json_safe(dict(h.data)),
                }
                for h in result.hosts
            ],
        }
        finding_rows = [
            {
                "run_id": result.run.id,
                "seq": seq,
                "host": f.host,
                "check_id": f.check,
                "status": f.status.value,
                "severity": int(f.severity),
                "message": _scrub(f.message),
                "platform": f.platform,
                "evidence": [{**e.to_dict(), "text": _scrub(e.text)} for e in f.evidence],
                "remediation": [_scrub(r) for r in f.remediation],
                "waiver": f.waiver.to_dict() if f.waiver else None,
                "message_key": f.key,
                "message_params": {k: _scrub(v) for k, v in f.params.items()} if f.key is not None else None,
            }
            for seq, f in enumerate(result.findings)
        ]
        try:
            with self.engine.begin() as conn:
                conn.execute(schema.runs.insert().values(**run_row))
                if finding_rows:
                    conn.execute(schema.findings.insert(), finding_rows)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot save run {result.run.id} to {self.description}: {_reason(exc)}") from None

    def delete(self, run_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(schema.findings.delete().where(schema.findings.c.run_id == run_id))
            conn.execute(schema.runs.delete().where(schema.runs.c.id == run_id))

    # ---- reading ------------------------------------------------------------------------

    def runs(self, *, scope_key: str | None = None, limit: int | None = None) -> list[RunRow]:
        """Runs, newest first."""
        r = schema.runs.c
        query = select(
            r.id,
            r.scope_key,
            r.scope,
            r.started,
            r.finished,
            r.exit_code,
            r.hosts_count,
            r.checks_count,
            r.findings_count,
            r.by_status,
        ).order_by(r.started.desc(), r.id.desc())
        if scope_key is not None:
            query = query.where(r.scope_key == scope_key)
        if limit is not None:
            query = query.limit(limit)
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [
            RunRow(
                id=row.id,
                scope_key=row.scope_key,
                scope=row.scope,
                started=datetime.fromisoformat(row.started),
                finished=datetime.fromisoformat(row.finished) if row.finished else None,
                exit_code=row.exit_code,
                hosts=row.hosts_count,
                checks=row.checks_count,
                findings=row.findings_count,
                by_status=dict(row.by_status),
            )
            for row in rows
        ]

    def count(self) -> int:
        with self._read() as conn:
            return int(conn.execute(select(func.count()).select_from(schema.runs)).scalar_one())

    def resolve(self, ref: str) -> str:
        """A run id from ``ref``: a full id, a unique prefix, ``latest`` or ``previous``."""
        if ref in ("latest", "last", "previous", "prev"):
            rows = self.runs(limit=2)
            index = 0 if ref in ("latest", "last") else 1
            if len(rows) <= index:
                raise StoreError(f"the store {self.description} has no {ref} run ({len(rows)} run(s) stored)")
            return rows[index].id
        r = schema.runs.c
        with self._read() as conn:
            exact = conn.execute(select(r.id).where(r.id == ref)).first()
            if exact:
                return str(exact[0])
            like = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            matches = [row[0] for row in conn.execute(select(r.id).where(r.id.like(like, escape="\\")).limit(3))]
        if len(matches) == 1:
            return str(matches[0])
        if not matches:
            raise StoreError(f"no run {ref!r} in {self.description} (see `netcomply runs`)")
        raise StoreError(f"run {ref!r} is ambiguous: {', '.join(matches)}, ...")

    def has_run(self, ref: str) -> bool:
        try:
            self.resolve(ref)
        except StoreError:
            return False
        return True

    def previous(self, run_id: str) -> str | None:
        """The run of the same scope just before ``run_id``, if any."""
        r = schema.runs.c
        with self._read() as conn:
            row = conn.execute(select(r.scope_key, r.started).where(r.id == run_id)).first()
            if row is None:
                raise StoreError(f"no run {run_id!r} in {self.description}")
            before = conn.execute(
                select(r.id)
                .where(r.scope_key == row.scope_key)
                .where((r.started < row.started) | ((r.started == row.started) & (r.id < run_id)))
                .order_by(r.started.desc(), r.id.desc())
                .limit(1)
            ).first()
        return str(before[0]) if before else None

    def latest(self, scope_key: str) -> str | None:
        rows = self.runs(scope_key=scope_key, limit=1)
        return rows[0].id if rows else None

    def load(self, ref: str) -> ScanResult:
        """The stored run as the scan produced it."""
        run_id = self.resolve(ref)
        r = schema.runs.c
        f = schema.findings.c
        with self._read() as conn:
            row = conn.execute(select(schema.runs).where(r.id == run_id)).one()
            finding_rows = conn.execute(select(schema.findings).where(f.run_id == run_id).order_by(f.seq)).all()
        findings = [_finding(x) for x in finding_rows]
        checks = [
            CheckInfo(
                id=c["id"],
                title=c["title"],
                severity=Severity.parse(c["severity"]),
                rationale=c.get("rationale", ""),
                clauses={k: tuple(v) for k, v in (c.get("clauses") or {}).items()},
                remediation=c.get("remediation", ""),
                origin=c.get("origin", ""),
            )
            for c in row.checks
        ]
        hosts = [
            HostInfo(
                name=h["name"],
                platform=h.get("platform"),
                address=h.get("address"),
                groups=tuple(h.get("groups") or ()),
                data=h.get("data") or {},
            )
            for h in row.hosts
        ]
        summary = Summary(
            hosts=row.hosts_count,
            checks=row.checks_count,
            findings=row.findings_count,
            by_status=dict(row.by_status),
            by_severity=dict(row.by_severity),
            exit_code=row.exit_code,
            notes=list(row.notes),
        )
        return ScanResult(
            run=RunInfo(
                id=row.id,
                started=datetime.fromisoformat(row.started),
                finished=datetime.fromisoformat(row.finished) if row.finished else None,
                version=row.version,
                inputs=dict(row.inputs),
            ),
            findings=findings,
            checks=checks,
            hosts=hosts,
            summary=summary,
            fail_on=Severity.parse(row.fail_on),
        )

    def _read(self) -> Any:
        try:
            return self.engine.connect()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read {self.description}: {_reason(exc)}") from None

    def scope_of(self, run_id: str) -> str:
        r = schema.runs.c
        with self._read() as conn:
            return str(conn.execute(select(r.scope_key).where(r.id == run_id)).scalar_one())


def _finding(row: Any) -> Finding:
    waiver = row.waiver
    return Finding(
        host=row.host,
        check=row.check_id,
        status=Status(row.status),
        severity=Severity(row.severity),
        message=row.message,
        platform=row.platform,
        evidence=tuple(
            Evidence(source=e["source"], line=int(e["line"]), text=e["text"], path=e.get("path"), host=e.get("host"))
            for e in row.evidence
        ),
        remediation=tuple(row.remediation),
        waiver=Waiver(
            host=waiver["host"],
            check=waiver["check"],
            reason=waiver["reason"],
            expires=date.fromisoformat(waiver["expires"]),
        )
        if waiver
        else None,
        key=row.message_key,
        params=dict(row.message_params or {}),
    )


def _reason(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0]
