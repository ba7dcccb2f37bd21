"""Listening sockets (listening.json) and firewall profiles (firewall.json) of a Windows host."""

from __future__ import annotations

from scanner.hostfacts import FirewallScope, FirewallState, Listener
from scanner.platforms._windows import psjson
from scanner.platforms.base import EvidenceMaker

PROFILES = ("Domain", "Private", "Public")
# NetSecurity's enums as ConvertTo-Json writes them (numbers).
GPO_BOOLEAN = {0: "False", 1: "True", 2: "NotConfigured"}
ACTION = {0: "NotConfigured", 2: "Allow", 4: "Block"}


def listeners(text: str, ev: EvidenceMaker) -> list[Listener]:
    found = []
    for record in psjson.records(text):
        data = record.data
        protocol = psjson.text_value(data.get("Protocol")).strip().lower()
        port = psjson.int_value(data.get("LocalPort"))
        if protocol not in ("tcp", "udp") or port is None:
            continue
        services = psjson.strings(data.get("Services"))
        line = psjson.key_line(text, record, "LocalPort")
        shown = psjson.summary(data, ("Protocol", "LocalAddress", "LocalPort", "ProcessName", "Services"))
        found.append(
            Listener(
                protocol,  # type: ignore[arg-type]
                psjson.text_value(data.get("LocalAddress")).strip() or "0.0.0.0",
                port,
                psjson.text_value(data.get("ProcessName")).strip(),
                ev(line, shown),
                unit=services[0] if len(services) == 1 else "",
            )
        )
    return found


def firewall(text: str, ev: EvidenceMaker) -> tuple[FirewallState | None, str]:
    """Every profile as a scope; (None, why) when the file does not describe the three profiles."""
    scopes = {}
    for record in psjson.records(text):
        data = record.data
        name = psjson.text_value(data.get("Name")).strip()
        if name not in PROFILES:
            continue
        enabled = psjson.enum_name(data.get("Enabled"), GPO_BOOLEAN)
        if isinstance(data.get("Enabled"), bool):
            enabled = "True" if data["Enabled"] else "False"
        inbound = psjson.enum_name(data.get("DefaultInboundAction"), ACTION)
        notes = []
        if enabled == "NotConfigured":
            notes.append("Enabled NotConfigured: the Windows default (on) applies")
        if inbound == "NotConfigured":
            notes.append("DefaultInboundAction NotConfigured: the Windows default (Block) applies")
        is_on = enabled in ("True", "NotConfigured")
        blocks = inbound in ("Block", "NotConfigured")
        line = psjson.key_line(text, record, "Name")
        shown = psjson.summary(data, ("Name", "Enabled", "DefaultInboundAction", "DefaultOutboundAction"))
        summary = f"{'on' if is_on else 'off'}, inbound default {inbound or 'unknown'}"
        scope = FirewallScope(
            f"{name} profile", is_on, blocks, summary, (ev(line, shown),), "; ".join(notes), fix_target=name
        )
        earlier = scopes.get(name)
        if earlier is not None and not (earlier.enabled and earlier.inbound_blocked):
            continue  # a profile listed twice: the open record is the one that counts
        scopes[name] = scope
    missing = [p for p in PROFILES if p not in scopes]
    if missing:
        return None, f"firewall.json does not describe the {', '.join(missing)} profile(s)"
    return FirewallState(("Windows Firewall",), tuple(scopes[p] for p in PROFILES)), ""
