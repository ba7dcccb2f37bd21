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
        arp=("show ip arp",),
    )
    hier_config = "ARISTA_EOS"
    session_setup = ("terminal length 0", "terminal width 32767")
    config_end = "end"
    serves_tftp = False
    volatile = (r"! Startup-config last modified at ",)
    acl_dialect = "eos"
    default_switchport = True
    baseline_dialect = "eos"
    statement_words = frozenset({"aaa", "logging", "management", "no"})
    fixes = {
        "disable_http": ("management api http-commands", "   shutdown", "   no protocol http"),
        "disable_telnet": ("management telnet", "   shutdown"),
        "remove_snmp_community": ("no snmp-server community {community}",),
        "readonly_snmp_community": (
            "no snmp-server community {community}",
            "snmp-server community <new-strong-community> ro <mgmt-acl>",
        ),
        "hash_user_password": ("username {user} privilege {privilege} secret sha512 <new-password>",),
        "hash_enable_password": ("enable password sha512 <new-password>",),
        "add_syslog_host": ("logging host <syslog-server>", "logging trap informational"),
        "login_lockout": ("aaa authentication policy lockout failure {attempts} duration {lock_seconds}",),
        "idle_timeout": ("{context}", "   idle-timeout {minutes}"),
        "ntp_server": ("ntp server <ntp-server>",),
        "ntp_enable": ("ntp server <ntp-server>",),
        "ntp_authenticate": (
            "ntp authentication-key 1 md5 <ntp-key>",
            "ntp trusted-key 1",
            "ntp authenticate",
            "ntp server {server} key 1",
        ),
        "log_timestamps": ("logging format timestamp high-resolution",),
        "ssh_v2_only": ("management ssh", "   no shutdown"),
        "log_config_changes": ("aaa accounting commands all default start-stop logging",),
        "management_acl": (
            "ip access-list standard MGMT-ACCESS",
            "   permit <mgmt-prefix>",
            "{context}",
            "   ip access-group MGMT-ACCESS in",
        ),
        "management_acl_snmp": (
            "ip access-list standard MGMT-ACCESS",
            "   permit <mgmt-prefix>",
            "snmp-server community <community> ro MGMT-ACCESS",
        ),
        "management_acl_permit_standard": ("   permit <mgmt-prefix>",),
        "management_acl_permit_extended": ("   permit tcp <mgmt-prefix> any eq ssh",),
        # eAPI binds its lists in the block of each VRF it serves (Arista AVD's management-api-http template).
        "management_acl_https": (
            "ip access-list standard MGMT-ACCESS",
            "   permit <mgmt-prefix>",
            "management api http-commands",
            "   vrf <api-vrf>",
            "      ip access-group MGMT-ACCESS",
        ),
        # The IPv6 side: EOS filters IPv6 by its own list, bound apart from the IPv4 one.
        "management_acl6": (
            "ipv6 access-list standard MGMT-ACCESS6",
            "   permit <mgmt-prefix6>",
            "{context}",
            "   ipv6 access-group MGMT-ACCESS6 in",
        ),
        "management_acl6_https": (
            "ipv6 access-list standard MGMT-ACCESS6",
            "   permit <mgmt-prefix6>",
            "management api http-commands",
            "   vrf <api-vrf>",
            "      ipv6 access-group MGMT-ACCESS6",
        ),
        # One statement binds both lists of a community (entered again, it replaces the first):
        # {ipv4} is the IPv4 list the community keeps.
        "management_acl6_snmp": (
            "ipv6 access-list standard MGMT-ACCESS6",
            "   permit <mgmt-prefix6>",
            "snmp-server community <community> ro ipv6 MGMT-ACCESS6 {ipv4}",
        ),
        "management_acl_permit6_standard": ("   permit <mgmt-prefix6>",),
        "management_acl_permit6_extended": ("   permit tcp <mgmt-prefix6> any eq ssh",),
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
        elif text == "no logging on":
            facts.logging_off = self.line_evidence(ev, line)
        elif text == "management api http-commands":
            self._http_api(line, facts, ev)
        elif text == "management telnet":
            running = _running(line)
            facts.services.append(
                Service(
                    "telnet", running is not None, self.line_evidence(ev, running or line), detail=_where(line, running)
                )
            )

    def _http_api(self, block: Line, facts: Facts, ev: EvidenceMaker) -> None:
        """eAPI (``management api http-commands``): shut down by default; once ``no shutdown``
        (at the top or under ``vrf NAME``) it serves HTTPS unless ``no protocol https``, and
        plain HTTP with ``protocol http`` (``protocol http localhost`` listens on the switch
        itself only, so it is no remote service)."""
        running = _running(block)
        https_off = block.child(r"^no protocol https$")
        http = next((c for c in block.children if re.match(r"^protocol http(?: port \d+)?$", c.text)), None)
        where = _where(block, running)
        if running is None:
            if http is not None:
                facts.services.append(Service("http", False, self.line_evidence(ev, http), f"{where}: shut down"))
            return
        if https_off is None:
            facts.services.append(
                Service("https", True, self.line_evidence(ev, running), f"eAPI over HTTPS ({where}; EOS default)")
            )
        if http is not None:
            facts.services.append(
                Service("http", True, self.line_evidence(ev, http), f"eAPI over plain HTTP ({where})")
            )

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


def _running(block: Line) -> Line | None:
    """The ``no shutdown`` that runs a management service, at the top or under ``vrf NAME``."""
    running = block.child(r"^no shutdown$")
    if running is not None:
        return running
    for vrf in block.children_matching(r"^vrf \S+$"):
        running = vrf.child(r"^no shutdown$")
        if running is not None:
            return running
    return None


def _where(block: Line, running: Line | None) -> str:
    """``management telnet`` / ``management telnet, vrf MGMT``: where the service runs."""
    parent = running.parent if running is not None else None
    if parent is not None and parent != block:
        return f"{block.text}, {parent.text}"
    return block.text


def _row_starting(text: str, first_column: str) -> tuple[int, str]:
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split()
        if words and words[0] == first_column:
            return number, line
    return 0, ""
