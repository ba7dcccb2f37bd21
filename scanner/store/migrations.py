"""Versioned schema migrations: a numbered list, applied in order, recorded in ``netcomply_schema``.

Why not Alembic: the store has three tables, ships inside the package and must
migrate itself on first use on any user's machine, with no migration folder or
``alembic.ini`` to find. A list of numbered Python steps run in one transaction each
gives the same guarantees (ordered, recorded, never run twice, refused when the
database is newer than the program) at a fraction of the weight. Should the schema
grow beyond a handful of steps, each step here maps one-to-one onto an Alembic
revision.

Rules: never edit a released step; add a new one. Step 1 creates the tables as
``schema.py`` defined them at version 1; a later step that changes a table must first
freeze version 1's definition here, then alter.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
    text,
)

from scanner.store import schema


class MigrationError(Exception):
    pass


def _v1_tables() -> list[Table]:
    """The tables as version 1 created them (findings frozen here: version 2 altered it)."""
    frozen = MetaData()
    runs = schema.runs.to_metadata(frozen)
    locks = schema.scan_locks.to_metadata(frozen)
    findings = Table(
        "findings",
        frozen,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("run_id", String(64), ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
        Column("seq", Integer, nullable=False),
        Column("host", String(255), nullable=False),
        Column("check_id", String(100), nullable=False),
        Column("status", String(20), nullable=False),
        Column("severity", Integer, nullable=False),
        Column("message", Text, nullable=False),
        Column("platform", String(64)),
        Column("evidence", JSON, nullable=False),
        Column("remediation", JSON, nullable=False),
        Column("waiver", JSON),
        Index("ix_findings_run", "run_id", "seq"),
        Index("ix_findings_host", "host", "check_id"),
        Index("ix_findings_check", "check_id", "status"),
    )
    return [runs, findings, locks]


def _v1(conn: Connection) -> None:
    tables = _v1_tables()
    tables[0].metadata.create_all(conn, tables=tables)


def _v2(conn: Connection) -> None:
    for name in ("message_key", "message_params"):
        column = schema.findings.c[name]
        kind = column.type.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE findings ADD COLUMN {name} {kind}"))


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "runs, findings (indexed by run, host, check), scan locks", _v1),
    (2, "findings: message_key and message_params (reports in other languages)", _v2),
]
LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table(schema.schema_version.name):
        return 0
    value = conn.execute(select(schema.schema_version.c.version).order_by(schema.schema_version.c.version.desc()))
    row = value.first()
    return int(row[0]) if row else 0


def migrate(conn: Connection) -> list[int]:
    """Bring the database to :data:`LATEST` inside the caller's transaction; returns the steps applied.

    The caller holds a write lock for the transaction (SQLite ``BEGIN IMMEDIATE``, a
    PostgreSQL advisory lock), so two programs starting on an empty database at once
    apply each step exactly once.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(7300118)"))
    schema.metadata.create_all(conn, tables=[schema.schema_version])
    version = current_version(conn)
    if version > LATEST:
        raise MigrationError(
            f"the database has schema version {version}, newer than this netcomply understands ({LATEST}): "
            "upgrade netcomply"
        )
    applied = []
    for number, description, step in MIGRATIONS:
        if number <= version:
            continue
        step(conn)
        conn.execute(
            schema.schema_version.insert().values(
                version=number, description=description, applied_at=datetime.now(UTC).isoformat()
            )
        )
        applied.append(number)
    return applied
