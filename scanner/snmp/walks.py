"""Walks of standard MIBs with the inventory's credential, saved as raw varbinds.

* ``snmp_system.json``: the system group (sysDescr, sysObjectID, sysName, ...).
* ``snmp_entity.json``: ENTITY-MIB entPhysicalTable (class, name, description, model,
  serial) and the power-supply status tables that standard or widely shared MIBs give:
  CISCO-ENTITY-FRU-CONTROL-MIB cefcFRUPowerOperStatus and ENTITY-STATE-MIB entStateOper
  (both indexed by entPhysicalIndex), and CISCO-ENVMON-MIB ciscoEnvMonSupplyStatusTable.
* ``snmp_lldp.json``: LLDP-MIB local ports, remote systems and their management addresses.

Only the columns read are walked, each with GETBULK (GETNEXT for SNMPv1) through the
agent's token bucket. A walk stops at the end of its subtree, at an OID that does not
increase, or after ``MAX_VARBINDS``; a failure is recorded in the file's ``errors``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from scanner.snmp.client import EXCEPTION_TYPES, SnmpClient, VarbindValue
from scanner.snmp.credentials import Credential
from scanner.snmpfiles import ENTITY_FILE, LLDP_FILE, SYSTEM_FILE, dump_walk
from scanner.snmpfiles.oids import ENTITY_COLUMNS, LLDP_COLUMNS, SYSTEM_OIDS

MAX_VARBINDS = 10_000


@dataclass
class Walk:
    varbinds: list[VarbindValue]
    error: str | None = None


def _oid_key(oid: str) -> tuple[int, ...]:
    return tuple(int(p) for p in oid.split(".") if p)


async def walk(
    client: SnmpClient, address: str, port: int, credential: Credential, prefix: str, repetitions: int
) -> Walk:
    """Every varbind under ``prefix``, in order."""
    found: list[VarbindValue] = []
    current = prefix
    while len(found) < MAX_VARBINDS:
        reply = await client.bulk(address, port, credential, current, repetitions)
        if not reply.answered:
            return Walk(found, f"{reply.error} after {len(found)} varbind(s)")
        if reply.status != 0:
            # SNMPv1 ends a GETNEXT walk at the end of the MIB with noSuchName.
            if reply.status == 2 and credential.version == "1":
                return Walk(found)
            return Walk(found, f"agent answered {reply.status_name} after {len(found)} varbind(s)")
        if not reply.varbinds:
            return Walk(found)
        for oid, kind, value in reply.varbinds:
            if kind in EXCEPTION_TYPES or not oid.startswith(prefix + "."):
                return Walk(found)
            if _oid_key(oid) <= _oid_key(current):
                return Walk(found, f"agent returned a non-increasing OID {oid} after {current}")
            found.append((oid, kind, value))
            current = oid
    return Walk(found, f"stopped after {MAX_VARBINDS} varbinds")


def _stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


async def walk_columns(
    client: SnmpClient, address: str, port: int, credential: Credential, columns: tuple[str, ...], repetitions: int
) -> tuple[dict[str, Any], list[VarbindValue]]:
    varbinds: list[VarbindValue] = []
    errors: dict[str, str] = {}
    for column in columns:
        result = await walk(client, address, port, credential, column, repetitions)
        varbinds.extend(result.varbinds)
        if result.error:
            errors[column] = result.error
    header: dict[str, Any] = {"walked": list(columns)}
    if errors:
        header["errors"] = errors
    return header, varbinds


async def collect_walks(
    client: SnmpClient, address: str, port: int, credential: Credential, repetitions: int
) -> dict[str, str]:
    """The three walk files of one agent, as text, by file name."""
    agent = f"{address}:{port}"
    base = {"agent": agent, "credential": credential.describe()}
    documents: dict[str, str] = {}
    system = await client.get(address, port, credential, SYSTEM_OIDS)
    system_header: dict[str, Any] = {**base, "collected_at": _stamp(), "walked": SYSTEM_OIDS}
    if not system.answered:
        system_header["errors"] = {"system": str(system.error)}
    documents[SYSTEM_FILE] = dump_walk(system_header, [v for v in system.varbinds if v[1] not in EXCEPTION_TYPES])
    for name, columns in ((ENTITY_FILE, ENTITY_COLUMNS), (LLDP_FILE, LLDP_COLUMNS)):
        collected_at = _stamp()
        header, varbinds = await walk_columns(client, address, port, credential, columns, repetitions)
        documents[name] = dump_walk({**base, "collected_at": collected_at, **header}, varbinds)
    return documents
