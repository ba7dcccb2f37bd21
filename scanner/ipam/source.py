"""Where a scan's IP records come from: ``--ipam FILE``, else ``ipam.table``, else ``ipam.netbox`` in the policy.

The records are read once, before the scan (a check does no I/O), and handed to the IP
model as a network attachment. Records that cannot be read do not stop the scan: the
checks that need them report the reason as an error on every device (so the run exits
2), and ``ipam.duplicate_address`` still judges the network alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scanner.ipam.netbox import NetboxSettings, read_netbox, settings_from
from scanner.network.ipam.model import ATTACHMENT, ATTACHMENT_ERROR
from scanner.network.ipam.records import IpRecords, RecordsError
from scanner.network.ipam.table import read_table
from scanner.policy import Policy, PolicyError

log = logging.getLogger("netcomply.ipam")

NOT_GIVEN_NOTE = (
    "IP records were not given: ipam checks other than ipam.duplicate_address are not assessed "
    "(give `netcomply scan --ipam FILE`, or ipam.table / ipam.netbox.url in the policy)"
)


@dataclass(frozen=True)
class RecordsSource:
    table: Path | None = None
    netbox: NetboxSettings | None = None

    @property
    def given(self) -> bool:
        return self.table is not None or self.netbox is not None

    def describe(self) -> str | None:
        if self.table is not None:
            return str(self.table)
        if self.netbox is not None:
            return f"NetBox {self.netbox.url}"
        return None


def records_source(policy: Policy, table: Path | None = None) -> RecordsSource:
    """``table`` (the command line) wins; a relative ``ipam.table`` is relative to the policy file's folder."""
    section = policy.section("ipam")
    netbox = settings_from(section.get("netbox") or {})
    if table is not None:
        return RecordsSource(table=table.expanduser())
    configured = section.get("table")
    if configured and netbox is not None:
        raise PolicyError(f"{policy.source}: give ipam.table or ipam.netbox.url, not both")
    if configured:
        path = Path(str(configured)).expanduser()
        policy_file = Path(policy.source)
        if not path.is_absolute() and policy_file.is_file():
            path = policy_file.resolve().parent / path
        return RecordsSource(table=path)
    return RecordsSource(netbox=netbox)


def load_records(source: RecordsSource) -> IpRecords | None:
    """The records of ``source`` (None when none is given); :class:`RecordsError` says why they cannot be read."""
    if source.table is not None:
        return read_table(source.table)
    if source.netbox is not None:
        return read_netbox(source.netbox)
    return None


@dataclass
class RecordsInput:
    """What a scan needs of the records: attachments for the IP model, notes for the summary, the run's inputs."""

    attachments: dict[str, Any]
    notes: list[str]
    described: str | None


def records_input(source: RecordsSource) -> RecordsInput:
    if not source.given:
        return RecordsInput({}, [NOT_GIVEN_NOTE], None)
    try:
        records = load_records(source)
    except RecordsError as exc:
        log.error("IP records: %s", exc)
        return RecordsInput({ATTACHMENT_ERROR: str(exc)}, [f"the IP records could not be read: {exc}"], None)
    assert records is not None
    log.info("IP records: %s", records.describe())
    return RecordsInput({ATTACHMENT: records}, [], records.describe())
