"""Cisco NX-OS (netmiko ``cisco_nxos``)."""

from __future__ import annotations

import re

from scanner.configtree import ConfigTree, Line
from scanner.facts import Facts, LogHost, PowerSupply, Service
from scanner.platforms import register
from scanner.platforms._cisco import (
    looks_foreign,
    neighbors_from_cdp,
    neighbors_from_lldp,
    parse_community,
    parse_username,
    power_from_inventory,
    power_from_table,
    power_status,
    version_from_rows,
)
from scanner.platforms.base import CommandSet, EvidenceMaker, Platform
from scanner.showparse import locate

_LOGGING_SERVER_RE = re.compile(r"^logging\s+server\s+(?P<address>\S+)")


@register
class CiscoNXOS(Platform):
    name = "cisco_nxos"
    display_name = "Cisco NX-OS"
    vendor = "cisco"
    ntc_platform = "cisco_nxos"
    commands = CommandSet(
        version="show version",
        config="show running-config",
        power=("show inventory", "show environment power"),
        neighbors=("show cdp neighbors detail", "show lldp neighbors detail"),
    )
    session_setup = ("terminal length 0", "terminal width 511")
    serves_tftp = False
    volatile = (r"!Time: ", r"!Running configuration last done at: ")
    fixes = {
        "disable_http": ("no nxapi http",),
        "disable_telnet": ("no feature telnet",),
        "remove_snmp_community": ("no snmp-server community {community}",),
        "readonly_snmp_community": (
            "no snmp-server community {community}",
            "snmp-server community <new-strong-community> group network-operator",
            "snmp-server community <new-strong-community> use-ipv4acl <mgmt-acl>",
        ),
        "hash_user_password": ("username {user} password <new-password> role {role}",),
        "set_user_password": ("username {user} password <new-password> role {role}",),
        "add_syslog_host": ("logging server <syslog-server> 6 use-vrf management",),
    }

    @classmethod
    def detect(cls, text: str) -> int:
        if looks_foreign(text):
            return 0
        score = 0
        if re.search(r"^!Command: show running-config", text, re.M):
            score += 5
        if re.search(r"^feature \S+", text, re.M):
            score += 3
        if re.search(r"^version \d+\.\d+\(\d+\)", text, re.M):
            score += 1
        if re.search(r"^vrf context \S+", text, re.M):
            score += 1
        if re.search(r"role network-(admin|operator)", text):
            score += 1
        if re.search(r"^(interface Ethernet\d+/\d+|interface mgmt0)", text, re.M):
            score += 1
        if re.search(r"^! Command: show running-config|^! device: |^management api http-commands", text, re.M):
            score -= 5
        return max(score, 0)

    def parse_config(self, tree: ConfigTree, facts: Facts, ev: EvidenceMaker) -> None:
        nxapi: Line | None = None
        nxapi_http: Line | None = None
        for line in tree.roots():
            text = line.text
            first = text.split(" ", 1)[0]
            if first == "hostname" or first == "switchname":
                facts.hostname = text.split()[1] if len(text.split()) > 1 else None
            elif first == "feature":
                if text == "feature nxapi":
                    nxapi = line
                elif text == "feature telnet":
                    facts.services.append(Service("telnet", True, self.line_evidence(ev, line), detail=text))
            elif first == "nxapi":
                if text.startswith("nxapi http ") or text == "nxapi http":
                    nxapi_http = line
            elif first == "username":
                account = parse_username(line, ev)
                if account:
                    facts.accounts.append(account)
            elif text.startswith("snmp-server community "):
                community = parse_community(line, ev)
                if community:
                    facts.snmp_communities.append(community)
            elif first == "logging":
                match = _LOGGING_SERVER_RE.match(text)
                if match:
                    facts.log_hosts.append(LogHost(match.group("address"), self.line_evidence(ev, line)))
        if nxapi is not None and nxapi_http is not None:
            facts.services.append(
                Service(
                    "http",
                    True,
                    self.line_evidence(ev, nxapi_http),
                    detail=f"NX-API over plain HTTP ({nxapi.text} + {nxapi_http.text})",
                )
            )

    def parse_version(self, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        version_from_rows(self.show_rows(self.commands.version, text), facts)

    def parse_power(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        if command == "show inventory":
            power_from_inventory(self, command, text, facts, ev)
            return
        rows = [r for r in self._environment_rows(command, text) if r.get("power_supply")]
        if not rows:
            facts.power_supplies.extend(power_from_table(text, ev))
            return
        for row in rows:
            number = row["power_supply"]
            lineno, line = locate(text, number, row.get("power_supply_model", ""))
            facts.power_supplies.append(
                PowerSupply(
                    name=f"PS{number}",
                    status=power_status(row.get("power_supply_status", "")),
                    evidence=ev(lineno, line),
                    detail=f"{row.get('power_supply_model', '')} {row.get('power_supply_status', '')}".strip(),
                )
            )

    def parse_neighbors(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        if "cdp" in command:
            neighbors_from_cdp(self, command, text, facts, ev)
        else:
            neighbors_from_lldp(self, command, text, facts, ev)
