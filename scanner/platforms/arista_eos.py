"""Arista EOS (netmiko ``arista_eos``)."""

from __future__ import annotations

import re

from scanner.configtree import Line
from scanner.facts import Facts, LocalAccount, LogHost, PowerSupply, Service
from scanner.masking import REDACTOR
from scanner.platforms import register
from scanner.platforms._cisco import CiscoStyle, classify_secret, markers, neighbors_from_lldp, power_status
from scanner.platforms.base import CommandSet, EvidenceMaker
from scanner.showparse import locate

_LOGGING_HOST_RE = re.compile(r"^logging\s+(?:vrf\s+\S+\s+)?host\s+(?P<address>\S+)")
_ROOT_SECRET_RE = re.compile(r"^aaa\s+root\s+secret(?:\s+(?P<type>sha512|[0-9]))?\s+(?P<value>\S+)")


@register
class AristaEOS(CiscoStyle):
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
    hier_config = "ARISTA_EOS"
    session_setup = ("terminal length 0", "terminal width 32767")
    config_end = "end"
    serves_tftp = False
    volatile = (r"! Startup-config last modified at ",)
    acl_dialect = "eos"
    default_switchport = True
    statement_words = frozenset({"aaa", "logging", "management"})
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
        "add_syslog_host": ("logging host <syslog-server>", "logging trap informational"),
    }

    @classmethod
    def detect(cls, text: str) -> int:
        found = markers(text)
        if "foreign" in found:
            return 0
        score = 4 * ("eos_command" in found) + 4 * ("eos_device" in found) + 3 * ("eos_only" in found)
        score += "eos_interface" in found
        if found & {"nxos_command", "feature"}:
            score -= 5
        return max(score, 0)

    def config_statement(self, first: str, line: Line, facts: Facts, ev: EvidenceMaker, seen: dict[str, Line]) -> None:
        text = line.text
        if first == "aaa":
            self._root(line, facts, ev)
        elif first == "logging":
            match = _LOGGING_HOST_RE.match(text)
            if match:
                facts.log_hosts.append(LogHost(match.group("address"), self.line_evidence(ev, line)))
        elif text == "management api http-commands":
            self._http_api(line, facts, ev)
        elif text == "management telnet":
            running = line.child(r"^no shutdown$")
            source = running or line
            facts.services.append(
                Service("telnet", running is not None, self.line_evidence(ev, source), detail="management telnet")
            )

    def _http_api(self, block: Line, facts: Facts, ev: EvidenceMaker) -> None:
        """eAPI serves plain HTTP only with ``protocol http`` and ``no shutdown`` (its default is shut down)."""
        http = block.child(r"^protocol http(\s|$)")
        if http is None:
            return
        running = block.child(r"^no shutdown$") is not None
        detail = (
            "eAPI over plain HTTP (protocol http, no shutdown)"
            if running
            else "protocol http configured but the API is shut down"
        )
        facts.services.append(Service("http", running, self.line_evidence(ev, http), detail=detail))

    def _root(self, line: Line, facts: Facts, ev: EvidenceMaker) -> None:
        match = _ROOT_SECRET_RE.match(line.text)
        if match is None:
            return
        value = match.group("value")
        storage, scheme, recovered, weak = classify_secret("secret", match.group("type"), value)
        REDACTOR.add(value)
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

    def environment_supplies(self, rows: list[dict[str, str]], text: str, ev: EvidenceMaker) -> list[PowerSupply]:
        supplies = []
        for row in rows:
            slot = row.get("power_supply_location", "")
            status = row.get("power_supply_status", "")
            pid = row.get("power_supply_pid", "")
            lineno, line = _row_starting(text, slot) if slot else locate(text, pid, status)
            supplies.append(
                PowerSupply(
                    name=f"PowerSupply{slot}" if slot else pid or "power supply",
                    status=power_status(status),
                    evidence=ev(lineno, line),
                    detail=f"{pid} {status}".strip(),
                )
            )
        return supplies

    def parse_neighbors(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        neighbors_from_lldp(self, command, text, facts, ev)


def _row_starting(text: str, first_column: str) -> tuple[int, str]:
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split()
        if words and words[0] == first_column:
            return number, line
    return 0, ""
