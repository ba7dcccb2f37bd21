"""Arista EOS (netmiko ``arista_eos``)."""

from __future__ import annotations

import re

from scanner.configtree import ConfigTree, Line
from scanner.facts import Facts, LocalAccount, LogHost, PowerSupply, Service
from scanner.masking import Secret
from scanner.platforms import register
from scanner.platforms._cisco import (
    classify_secret,
    looks_foreign,
    neighbors_from_lldp,
    parse_community,
    parse_enable,
    parse_username,
    power_from_inventory,
    power_from_table,
    power_status,
)
from scanner.platforms.base import CommandSet, EvidenceMaker, Platform
from scanner.showparse import locate

_LOGGING_HOST_RE = re.compile(r"^logging\s+(?:vrf\s+\S+\s+)?host\s+(?P<address>\S+)")
_ROOT_SECRET_RE = re.compile(r"^aaa\s+root\s+secret(?:\s+(?P<type>sha512|[0-9]))?\s+(?P<value>\S+)")


@register
class AristaEOS(Platform):
    name = "arista_eos"
    display_name = "Arista EOS"
    vendor = "arista"
    ntc_platform = "arista_eos"
    commands = CommandSet(
        version="show version",
        config="show running-config",
        power=("show inventory", "show environment power"),
        neighbors=("show lldp neighbors detail",),
    )
    session_setup = ("terminal length 0", "terminal width 32767")
    config_end = "end"
    serves_tftp = False
    fixes = {
        "disable_http": ("management api http-commands", "   no protocol http"),
        "disable_telnet": ("management telnet", "   shutdown"),
        "remove_snmp_community": ("no snmp-server community {community}",),
        "readonly_snmp_community": (
            "no snmp-server community {community}",
            "snmp-server community <new-strong-community> ro <mgmt-acl>",
        ),
        "hash_user_password": ("username {user} privilege {privilege} secret sha512 <new-password>",),
        "hash_enable_password": ("enable password sha512 <new-password>",),
        "set_user_password": ("username {user} privilege {privilege} secret sha512 <new-password>",),
        "add_syslog_host": ("logging host <syslog-server>", "logging trap informational"),
    }

    @classmethod
    def detect(cls, text: str) -> int:
        if looks_foreign(text):
            return 0
        score = 0
        if re.search(r"^! Command: show running-config", text, re.M):
            score += 4
        if re.search(r"^! device: \S+ \(", text, re.M):
            score += 4
        if re.search(
            r"^management api http-commands|^transceiver qsfp default-mode|^service routing protocols model", text, re.M
        ):
            score += 3
        if re.search(
            r"role network-admin secret sha512|^interface Ethernet\d+(/\d+)?$|^interface Management\d", text, re.M
        ):
            score += 1
        if re.search(r"^!Command: show running-config|^feature ", text, re.M):
            score -= 5
        return max(score, 0)

    def parse_config(self, tree: ConfigTree, facts: Facts, ev: EvidenceMaker) -> None:
        for line in tree.roots():
            text = line.text
            first = text.split(" ", 1)[0]
            if first == "hostname":
                facts.hostname = text.split()[1] if len(text.split()) > 1 else None
            elif first == "username":
                account = parse_username(line, ev)
                if account:
                    facts.accounts.append(account)
            elif first == "enable":
                account = parse_enable(line, ev)
                if account:
                    facts.accounts.append(account)
            elif first == "aaa":
                self._root(line, facts, ev)
            elif text.startswith("snmp-server community "):
                community = parse_community(line, ev)
                if community:
                    facts.snmp_communities.append(community)
            elif first == "logging":
                match = _LOGGING_HOST_RE.match(text)
                if match:
                    facts.log_hosts.append(LogHost(match.group("address"), self.line_evidence(ev, line)))
            elif text == "management api http-commands":
                self._http_api(line, facts, ev)
            elif text == "management telnet":
                enabled = line.child(r"^no shutdown$") is not None
                source = line.child(r"^no shutdown$") or line
                facts.services.append(
                    Service("telnet", enabled, self.line_evidence(ev, source), detail="management telnet")
                )

    def _http_api(self, block: Line, facts: Facts, ev: EvidenceMaker) -> None:
        """eAPI serves plain HTTP only with ``protocol http`` and ``no shutdown`` (its default is shut down)."""
        http = block.child(r"^protocol http(\s|$)")
        running = block.child(r"^no shutdown$")
        if http is not None and running is not None:
            facts.services.append(
                Service(
                    "http",
                    True,
                    self.line_evidence(ev, http),
                    detail="eAPI over plain HTTP (protocol http, no shutdown)",
                )
            )
        elif http is not None:
            facts.services.append(
                Service(
                    "http",
                    False,
                    self.line_evidence(ev, http),
                    detail="protocol http configured but the API is shut down",
                )
            )

    def _root(self, line: Line, facts: Facts, ev: EvidenceMaker) -> None:
        match = _ROOT_SECRET_RE.match(line.text)
        if match is None:
            return
        value = match.group("value")
        storage, scheme, recovered, weak = classify_secret("secret", match.group("type"), value)
        Secret(value)
        facts.accounts.append(
            LocalAccount(
                name="root",
                kind="user",
                admin=True,
                storage=storage,  # type: ignore[arg-type]
                scheme=scheme,
                evidence=self.line_evidence(ev, line),
                recovered=recovered,
                weak_hash=weak,
            )
        )

    def parse_version(self, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        rows = self.show_rows(self.commands.version, text)
        if rows:
            facts.model = rows[0].get("model") or None
            facts.version = rows[0].get("image") or None
            serial = rows[0].get("serial_number")
            if serial:
                facts.serials.append(serial)

    def parse_power(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        if command == "show inventory":
            power_from_inventory(self, command, text, facts, ev)
            return
        rows = self.show_rows(command, text)
        if not rows:
            facts.power_supplies.extend(power_from_table(text, ev))
            return
        for row in rows:
            slot = row.get("power_supply_location", "")
            status = row.get("power_supply_status", "")
            lineno, line = locate(text, row.get("power_supply_pid", ""), status)
            if slot:
                lineno, line = _row_starting(text, slot) or (lineno, line)
            facts.power_supplies.append(
                PowerSupply(
                    name=f"PowerSupply{slot}" if slot else row.get("power_supply_pid", "power supply"),
                    status=power_status(status),
                    evidence=ev(lineno, line),
                    detail=f"{row.get('power_supply_pid', '')} {status}".strip(),
                )
            )

    def parse_neighbors(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        neighbors_from_lldp(self, command, text, facts, ev)


def _row_starting(text: str, first_column: str) -> tuple[int, str] | None:
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split()
        if words and words[0] == first_column:
            return number, line
    return None
