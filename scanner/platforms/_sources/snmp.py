"""The SNMP files of a snapshot read into facts, whatever the platform.

Registered with :mod:`scanner.platforms._sources`, so :meth:`Platform.parse` reads them after the
CLI outputs. SNMP fills a fact family only where the CLI could not provide it (the
family is unavailable: not collected, refused, unparsable): CLI and SNMP name the same
power supply or neighbour differently, and counting both would double them. The probe
result is SNMP's alone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from scanner.facts import NEIGHBORS, POWER, Facts, Neighbor, PowerStatus, PowerSupply, SnmpProbe, SnmpProbeAnswer
from scanner.masking import MASK, mask_value
from scanner.platforms._sources.registry import SourceError, SourceEvidence, source_reader
from scanner.snmpfiles import (
    ENTITY_FILE,
    LLDP_FILE,
    PROBE_FILE,
    SYSTEM_FILE,
    DocumentError,
    Varbind,
    header_line,
    load_probe,
    load_walk,
)
from scanner.snmpfiles import oids as w

SNMP_PROBE = "snmp_probe"

ENTITY_CLASSES = {
    1: "other",
    2: "unknown",
    3: "chassis",
    4: "backplane",
    5: "container",
    6: "powerSupply",
    7: "fan",
    8: "sensor",
    9: "module",
    10: "port",
    11: "stack",
    12: "cpu",
}
POWER_SUPPLY_CLASS = 6
CHASSIS_CLASS = 3
# CISCO-ENTITY-FRU-CONTROL-MIB PowerOperType
CEFC_POWER_STATES = {
    1: "offEnvOther",
    2: "on",
    3: "offAdmin",
    4: "offDenied",
    5: "offEnvPower",
    6: "offEnvTemp",
    7: "offEnvFan",
    8: "failed",
    9: "onButFanFail",
    10: "offCooling",
    11: "offConnectorRating",
    12: "onButInlinePowerFail",
}
CEFC_OK = {2, 12}
# CISCO-ENVMON-MIB CiscoEnvMonState
ENVMON_STATES = {1: "normal", 2: "warning", 3: "critical", 4: "shutdown", 5: "notPresent", 6: "notFunctioning"}
# ENTITY-STATE-MIB EntityOperState
ENT_OPER_STATES = {1: "unknown", 2: "disabled", 3: "enabled", 4: "testing"}
# LLDP-MIB subtypes whose ID is a name
_NAMED_PORT_SUBTYPES = {1, 5, 7}
_VERSION_RE = re.compile(r"\b[Vv]ersion\s+([0-9][\w.()\-]*[\w)])")


def _walk(text: str) -> tuple[dict[str, Any], list[Varbind]]:
    try:
        return load_walk(text)
    except DocumentError as exc:
        raise SourceError(str(exc)) from None


def _columns(varbinds: list[Varbind], *columns: str) -> dict[str, dict[str, Varbind]]:
    """column -> {instance index -> varbind}."""
    table: dict[str, dict[str, Varbind]] = {c: {} for c in columns}
    for vb in varbinds:
        for column in columns:
            index = vb.index_after(column)
            if index is not None:
                table[column][index] = vb
                break
    return table


# ---- the probe ------------------------------------------------------------------------


@source_reader(PROBE_FILE, owns=(SNMP_PROBE,), label="SNMP probe")
def read_probe(text: str, facts: Facts, ev: SourceEvidence) -> None:
    try:
        header, answered = load_probe(text)
    except DocumentError as exc:
        raise SourceError(str(exc)) from None
    agent = str(header.get("agent") or "?")
    answers = []
    for line, record in answered:
        community = str(record.get("community", ""))
        if not community.endswith(MASK):
            community = mask_value(community)
        write = record.get("write")
        write = write if isinstance(write, bool) else None
        detail = str(record.get("write_detail") or "")
        version = str(record.get("version") or "2c")
        origin = str(record.get("origin") or "dictionary")
        length = int(record.get("length") or 0)
        shown = f"{agent} answered community {community} ({length} characters, {origin}) over SNMPv{version}"
        if detail:
            shown += f"; {detail}"
        answers.append(
            SnmpProbeAnswer(
                community=community,
                length=length,
                origin=origin,
                version=version,
                evidence=ev(line, shown),
                write=write,
                write_detail=detail,
            )
        )
    reason = str(header.get("reason") or "")
    status = str(header.get("status") or "")
    facts.snmp_probe = SnmpProbe(
        agent=agent,
        alive=bool(header.get("alive")),
        tried=int(header.get("tried") or 0),
        answered=tuple(answers),
        reason=reason,
        evidence=ev(header_line(text, "reason"), f"{agent}: {status}: {reason}"),
        write_tested=bool(header.get("write_test")),
        probed_at=str(header.get("probed_at")) if header.get("probed_at") else None,
        status=status,
    )


# ---- the system group -----------------------------------------------------------------


@source_reader(SYSTEM_FILE, label="SNMP system group")
def read_system(text: str, facts: Facts, ev: SourceEvidence) -> None:
    _, varbinds = _walk(text)
    values = {vb.oid: vb for vb in varbinds}
    name = values.get(w.SYS_NAME)
    if facts.hostname is None and name is not None and name.as_text().strip():
        facts.hostname = name.as_text().strip()
    descr = values.get(w.SYS_DESCR)
    if facts.version is None and descr is not None:
        match = _VERSION_RE.search(descr.as_text())
        if match:
            facts.version = match.group(1)


# ---- power supplies -------------------------------------------------------------------


def _cefc_status(value: int | None) -> tuple[PowerStatus, str]:
    label = CEFC_POWER_STATES.get(value or 0, f"state {value}")
    return ("ok" if value in CEFC_OK else "failed"), f"cefcFRUPowerOperStatus {label}({value})"


def _oper_status(value: int | None) -> tuple[PowerStatus, str]:
    label = ENT_OPER_STATES.get(value or 0, f"state {value}")
    status: PowerStatus = {3: "ok", 2: "failed"}.get(value or 0, "unknown")  # type: ignore[assignment]
    return status, f"entStateOper {label}({value})"


def _envmon_status(value: int | None) -> tuple[PowerStatus, str]:
    label = ENVMON_STATES.get(value or 0, f"state {value}")
    status: PowerStatus = {1: "ok", 5: "absent"}.get(value or 0, "failed")  # type: ignore[assignment]
    return status, f"ciscoEnvMonSupplyState {label}({value})"


@source_reader(ENTITY_FILE, fills=(POWER,), label="SNMP ENTITY-MIB")
def read_entity(text: str, facts: Facts, ev: SourceEvidence) -> None:
    header, varbinds = _walk(text)
    table = _columns(
        varbinds,
        w.ENT_CLASS,
        w.ENT_NAME,
        w.ENT_DESCR,
        w.ENT_MODEL,
        w.CEFC_POWER_OPER,
        w.ENT_STATE_OPER,
        w.ENVMON_SUPPLY_DESCR,
        w.ENVMON_SUPPLY_STATE,
    )
    classes = table[w.ENT_CLASS]
    if facts.model is None:
        chassis = [i for i, vb in classes.items() if vb.as_int() == CHASSIS_CLASS]
        model = next((table[w.ENT_MODEL][i].as_text() for i in chassis if i in table[w.ENT_MODEL]), "")
        if model.strip():
            facts.model = model.strip()
    if POWER not in facts.unavailable:
        return
    supplies = _entity_supplies(table, ev)
    if not any(s.status != "unknown" for s in supplies):
        supplies = _envmon_supplies(table, ev) or supplies
    if supplies:
        reason = facts.unavailable.pop(POWER)
        facts.power_supplies = supplies
        facts.notes.append(f"power supplies read over SNMP (the CLI gave none: {reason})")
        return
    errors = header.get("errors") or {}
    if errors:
        why = "; ".join(f"{k}: {v}" for k, v in errors.items())
        detail = f"the SNMP ENTITY-MIB walk failed ({why})"
    elif classes:
        detail = f"ENTITY-MIB lists no power supply (entPhysicalClass powerSupply) among {len(classes)} entities"
    else:
        detail = "the SNMP agent has no ENTITY-MIB entPhysicalTable"
    facts.unavailable[POWER] = f"{facts.unavailable[POWER]}; {detail}"


def _entity_supplies(table: dict[str, dict[str, Varbind]], ev: SourceEvidence) -> list[PowerSupply]:
    supplies = []
    for index, klass in table[w.ENT_CLASS].items():
        if klass.as_int() != POWER_SUPPLY_CLASS:
            continue
        name_vb = table[w.ENT_NAME].get(index)
        descr_vb = table[w.ENT_DESCR].get(index)
        name = (name_vb.as_text() if name_vb else "") or (descr_vb.as_text() if descr_vb else "") or f"entity {index}"
        status: PowerStatus = "unknown"
        detail = ""
        if index in table[w.CEFC_POWER_OPER]:
            status, detail = _cefc_status(table[w.CEFC_POWER_OPER][index].as_int())
        elif index in table[w.ENT_STATE_OPER]:
            status, detail = _oper_status(table[w.ENT_STATE_OPER][index].as_int())
        model_vb = table[w.ENT_MODEL].get(index)
        model = model_vb.as_text() if model_vb else ""
        line = (name_vb or klass).line
        shown = f"entPhysicalName.{index} = {name}; entPhysicalClass.{index} = powerSupply(6)"
        if detail:
            shown += f"; {detail}"
        full_detail = " ".join(filter(None, (model, detail)))
        supplies.append(PowerSupply(name=name, status=status, evidence=ev(line, shown), detail=full_detail))
    return supplies


def _envmon_supplies(table: dict[str, dict[str, Varbind]], ev: SourceEvidence) -> list[PowerSupply]:
    supplies = []
    for index, state in table[w.ENVMON_SUPPLY_STATE].items():
        descr_vb = table[w.ENVMON_SUPPLY_DESCR].get(index)
        name = descr_vb.as_text() if descr_vb else f"supply {index}"
        status, detail = _envmon_status(state.as_int())
        shown = f"ciscoEnvMonSupplyStatusDescr.{index} = {name}; {detail}"
        supplies.append(PowerSupply(name=name, status=status, evidence=ev(state.line, shown), detail=detail))
    return supplies


# ---- LLDP neighbours ------------------------------------------------------------------


def _ipv4_of_index(index: str) -> tuple[str, str] | None:
    """(remote row index, IPv4 address) from an lldpRemManAddrTable index, else None."""
    parts = index.split(".")
    if len(parts) >= 9 and parts[3] == "1" and parts[4] == "4":
        return ".".join(parts[:3]), ".".join(parts[5:9])
    return None


def _port_name(subtype: Varbind | None, port_id: Varbind | None, descr: Varbind | None) -> str | None:
    kind = subtype.as_int() if subtype else None
    named = port_id is not None and port_id.type == "OctetString" and (kind in _NAMED_PORT_SUBTYPES or kind is None)
    if named and port_id is not None and port_id.as_text().strip():
        return port_id.as_text().strip()
    if descr is not None and descr.as_text().strip():
        return descr.as_text().strip()
    if port_id is not None and port_id.as_text().strip():
        return port_id.as_text().strip()
    return None


@source_reader(LLDP_FILE, fills=(NEIGHBORS,), label="SNMP LLDP-MIB")
def read_lldp(text: str, facts: Facts, ev: SourceEvidence) -> None:
    if NEIGHBORS not in facts.unavailable:
        return
    header, varbinds = _walk(text)
    table = _columns(
        varbinds,
        w.LLDP_LOC_PORT_ID_SUBTYPE,
        w.LLDP_LOC_PORT_ID,
        w.LLDP_LOC_PORT_DESC,
        w.LLDP_REM_CHASSIS_ID,
        w.LLDP_REM_PORT_SUBTYPE,
        w.LLDP_REM_PORT_ID,
        w.LLDP_REM_PORT_DESC,
        w.LLDP_REM_SYS_NAME,
        w.LLDP_REM_SYS_DESC,
        w.LLDP_REM_MAN_ADDR_IF_SUBTYPE,
    )
    addresses: dict[str, str] = {}
    for index in table[w.LLDP_REM_MAN_ADDR_IF_SUBTYPE]:
        parsed = _ipv4_of_index(index)
        if parsed:
            addresses.setdefault(*parsed)
    rows: dict[str, list[Varbind]] = defaultdict(list)
    for column in (w.LLDP_REM_SYS_NAME, w.LLDP_REM_CHASSIS_ID, w.LLDP_REM_PORT_ID, w.LLDP_REM_PORT_DESC):
        for index, vb in table[column].items():
            rows[index].append(vb)
    neighbors = []
    for index, cells in rows.items():
        parts = index.split(".")
        if len(parts) != 3:
            continue
        local_num = parts[1]
        local = (
            _port_name(
                table[w.LLDP_LOC_PORT_ID_SUBTYPE].get(local_num),
                table[w.LLDP_LOC_PORT_ID].get(local_num),
                table[w.LLDP_LOC_PORT_DESC].get(local_num),
            )
            or f"port {local_num}"
        )
        sys_name = table[w.LLDP_REM_SYS_NAME].get(index)
        chassis = table[w.LLDP_REM_CHASSIS_ID].get(index)
        remote = (sys_name.as_text().strip() if sys_name else "") or (chassis.as_text() if chassis else f"lldp {index}")
        remote_port = _port_name(
            table[w.LLDP_REM_PORT_SUBTYPE].get(index),
            table[w.LLDP_REM_PORT_ID].get(index),
            table[w.LLDP_REM_PORT_DESC].get(index),
        )
        desc = table[w.LLDP_REM_SYS_DESC].get(index)
        platform = desc.as_text().strip().splitlines()[0] if desc and desc.as_text().strip() else None
        line = (sys_name or cells[0]).line
        shown = f"lldpRemSysName.{index} = {remote}; local port {local}; remote port {remote_port or '?'}"
        neighbors.append(
            Neighbor(
                protocol="lldp",
                local_interface=local,
                remote_name=remote,
                remote_interface=remote_port,
                evidence=ev(line, shown),
                remote_address=addresses.get(index),
                remote_platform=platform,
            )
        )
    local_ports = table[w.LLDP_LOC_PORT_ID]
    if neighbors or local_ports:
        reason = facts.unavailable.pop(NEIGHBORS)
        facts.neighbors = neighbors
        facts.notes.append(f"neighbours read over SNMP LLDP-MIB (the CLI gave none: {reason})")
        return
    errors = header.get("errors") or {}
    why = "; ".join(f"{k}: {v}" for k, v in errors.items())
    detail = f"the SNMP LLDP-MIB walk failed ({why})" if errors else "the SNMP agent has no LLDP-MIB tables"
    facts.unavailable[NEIGHBORS] = f"{facts.unavailable[NEIGHBORS]}; {detail}"
