"""The store's tables (SQLAlchemy Core), as of the newest migration.

A run is one row of ``runs`` plus its rows in ``findings``. What a report needs about
the run (checks with their clauses, hosts with their inventory data, the summary's
notes) is kept as JSON on the run row: it is read whole, never queried. Findings are
rows, indexed by run, host and check, because history and diffs query them.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

schema_version = Table(
    "netcomply_schema",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("description", String(200), nullable=False),
    Column("applied_at", String(40), nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", String(64), primary_key=True),
    # What was scanned (inventory or snapshot folder): "last run" and the scan lock are per key.
    Column("scope_key", String(64), nullable=False),
    Column("scope", Text, nullable=False),
    # ISO 8601 in UTC: sorts as text on every database.
    Column("started", String(40), nullable=False),
    Column("finished", String(40)),
    Column("version", String(40), nullable=False),
    Column("fail_on", String(16), nullable=False),
    Column("exit_code", Integer, nullable=False),
    Column("hosts_count", Integer, nullable=False),
    Column("checks_count", Integer, nullable=False),
    Column("findings_count", Integer, nullable=False),
    Column("by_status", JSON, nullable=False),
    Column("by_severity", JSON, nullable=False),
    Column("notes", JSON, nullable=False),
    Column("inputs", JSON, nullable=False),
    Column("checks", JSON, nullable=False),
    Column("hosts", JSON, nullable=False),
    Index("ix_runs_scope_started", "scope_key", "started"),
    Index("ix_runs_started", "started"),
)

findings = Table(
    "findings",
    metadata,
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
    # Since version 2: the check's message template and its (masked) parameters, so a report
    # in another language can word the message again; NULL for findings of older runs.
    Column("message_key", String(100)),
    Column("message_params", JSON),
    Index("ix_findings_run", "run_id", "seq"),
    Index("ix_findings_host", "host", "check_id"),
    Index("ix_findings_check", "check_id", "status"),
)

scan_locks = Table(
    "scan_locks",
    metadata,
    Column("scope_key", String(64), primary_key=True),
    Column("owner", String(255), nullable=False),
    Column("acquired_at", String(40), nullable=False),
)
