"""Cisco IOS and IOS-XE (netmiko ``cisco_ios``, ``cisco_xe``)."""

from __future__ import annotations

import re

from scanner.configtree import ConfigTree, Line
from scanner.facts import ConfigArchive, Facts, LogHost, PowerStatus, PowerSupply, Service
from scanner.platforms import register
from scanner.platforms._cisco import (
    looks_foreign,
    neighbors_from_cdp,
    neighbors_from_lldp,
    parse_community,
    parse_enable,
    parse_username,
    power_from_inventory,
    power_from_table,
    power_status,
    version_from_rows,
)
from scanner.platforms.base import CommandSet, EvidenceMaker, Platform
from scanner.showparse import locate

_TRANSPORT_RE = re.compile(r"^transport\s+input\s+(?P<protocols>.+)$")
_LOGGING_HOST_RE = re.compile(r"^logging\s+(?:host\s+)?(?P<address>\d+\.\d+\.\d+\.\d+|[0-9a-fA-F:]+:[0-9a-fA-F:]*)\b")
_LOGGING_HOST_NAME_RE = re.compile(r"^logging\s+host\s+(?:ipv6\s+)?(?P<address>\S+)")


@register
class CiscoIOS(Platform):
    name = "cisco_ios"
    display_name = "Cisco IOS"
    vendor = "cisco"
    ntc_platform = "cisco_ios"
    commands = CommandSet(
        version="show version",
        config="show running-config",
        power=("show inventory", "show environment power all"),
        neighbors=("show cdp neighbors detail", "show lldp neighbors detail"),
    )
    session_setup = ("terminal length 0", "terminal width 511")
    config_end = "end"
    volatile = (
        r"! Last configuration change at ",
        r"! NVRAM config last updated at ",
        r"! No configuration change since last restart",
        r"Current configuration : \d+ bytes",
        r"ntp clock-period \d+",
    )
    fixes = {
        "disable_http": ("no ip http server", "no ip http secure-server"),
        "disable_ftp": ("no ftp-server enable",),
        "disable_tftp": ("no {context}",),
        "disable_telnet": ("{context}", " transport input ssh"),
        "remove_snmp_community": ("no snmp-server community {community}",),
        "readonly_snmp_community": (
            "no snmp-server community {community}",
            "snmp-server community <new-strong-community> RO <mgmt-acl>",
        ),
        "hash_user_password": ("username {user} privilege {privilege} algorithm-type scrypt secret <new-password>",),
        "hash_enable_password": ("no enable password", "enable algorithm-type scrypt secret <new-password>"),
        "set_user_password": ("username {user} privilege {privilege} algorithm-type scrypt secret <new-password>",),
        "add_syslog_host": ("logging host <syslog-server>", "logging trap informational"),
        "archive_config": ("archive", " path flash:$h-archive", " maximum 14", " write-memory", " time-period 1440"),
    }

    @classmethod
    def detect(cls, text: str) -> int:
        if looks_foreign(text):
            return 0
        score = 0
        if re.search(r"^version 1[0-9]\.\d+", text, re.M):
            score += 3
        if re.search(r"^Building configuration|^Current configuration :", text, re.M):
            score += 3
        if re.search(r"^(service timestamps|ip cef|no ip domain[ -]lookup|boot-start-marker)", text, re.M):
            score += 2
        if re.search(r"^line (vty|con) \d", text, re.M):
            score += 2
        if re.search(r"^interface (GigabitEthernet|FastEthernet|TenGigabitEthernet|Serial|Vlan)\S*\d", text, re.M):
            score += 1
        if re.search(r"^(feature |!Command: |! Command: |! device: |Cisco Nexus|vrf context )", text, re.M):
            score -= 4
        return max(score, 0)

    # ---- config ---------------------------------------------------------------------

    def parse_config(self, tree: ConfigTree, facts: Facts, ev: EvidenceMaker) -> None:
        ftp_lines: list[Line] = []
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
            elif first == "snmp-server":
                if text.startswith("snmp-server community "):
                    community = parse_community(line, ev)
                    if community:
                        facts.snmp_communities.append(community)
            elif first == "logging":
                self._logging(line, facts, ev)
            elif first == "ip" or first == "no":
                self._http(line, facts, ev)
            elif first == "ftp-server":
                ftp_lines.append(line)
            elif first == "tftp-server":
                facts.services.append(Service("tftp", True, self.line_evidence(ev, line), detail=text, context=text))
            elif first == "line":
                self._line(line, facts, ev)
            elif first == "archive":
                self._archive(line, facts, ev)
        for line in ftp_lines:
            if line.text == "ftp-server enable":
                facts.services.append(Service("ftp", True, self.line_evidence(ev, line), detail=line.text))

    def _http(self, line: Line, facts: Facts, ev: EvidenceMaker) -> None:
        text = line.text
        for statement, name in (("ip http server", "http"), ("ip http secure-server", "https")):
            if text == statement:
                facts.services.append(Service(name, True, self.line_evidence(ev, line), detail=text))
            elif text == f"no {statement}":
                facts.services.append(Service(name, False, self.line_evidence(ev, line), detail=text))

    def _line(self, line: Line, facts: Facts, ev: EvidenceMaker) -> None:
        words = line.text.split()
        if len(words) < 2 or words[1] not in ("vty", "aux"):
            return
        transport = None
        for child in line.children:
            match = _TRANSPORT_RE.match(child.text)
            if match:
                transport = (child, match.group("protocols").split())
        if transport is None:
            if words[1] == "vty":
                facts.services.append(
                    Service(
                        "telnet",
                        True,
                        self.line_evidence(ev, line),
                        detail=f"{line.text}: no 'transport input', so the release default applies "
                        "(telnet on older IOS releases)",
                        context=line.text,
                    )
                )
            return
        child, protocols = transport
        enabled = "telnet" in protocols or "all" in protocols
        facts.services.append(
            Service(
                "telnet", enabled, self.line_evidence(ev, child), detail=f"{line.text}: {child.text}", context=line.text
            )
        )

    def _logging(self, line: Line, facts: Facts, ev: EvidenceMaker) -> None:
        match = _LOGGING_HOST_RE.match(line.text) or _LOGGING_HOST_NAME_RE.match(line.text)
        if match and match.group("address") not in {"on", "buffered", "console", "trap", "source-interface"}:
            facts.log_hosts.append(LogHost(match.group("address"), self.line_evidence(ev, line)))

    def _archive(self, line: Line, facts: Facts, ev: EvidenceMaker) -> None:
        path = line.child(r"^path\s+")
        if path is not None:
            target = path.text.split(None, 1)[1]
            facts.archives.append(ConfigArchive(target=target, evidence=self.line_evidence(ev, path)))

    # ---- show outputs ---------------------------------------------------------------

    def parse_version(self, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        version_from_rows(self.show_rows(self.commands.version, text), facts)

    def parse_power(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        if command == "show inventory":
            power_from_inventory(self, command, text, facts, ev)
            return
        rows = self._environment_rows(command, text)
        if not rows:
            facts.power_supplies.extend(power_from_table(text, ev))
            return
        for row in rows:
            name = row.get("ps_module") or row.get("pid") or "power supply"
            number, line = locate(text, row.get("ps_module", ""), row.get("serial", ""))
            status = row.get("status", "") or row.get("sys_pwr", "")
            state: PowerStatus = power_status(status)
            if state == "ok" and row.get("sys_pwr", "").lower() == "bad":
                state = "failed"
            facts.power_supplies.append(
                PowerSupply(
                    name=name, status=state, evidence=ev(number, line), detail=f"{row.get('pid', '')} {status}".strip()
                )
            )

    def parse_neighbors(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        if "cdp" in command:
            neighbors_from_cdp(self, command, text, facts, ev)
        else:
            neighbors_from_lldp(self, command, text, facts, ev)


@register
class CiscoXE(CiscoIOS):
    name = "cisco_xe"
    display_name = "Cisco IOS-XE"

    @classmethod
    def detect(cls, text: str) -> int:
        score = CiscoIOS.detect(text)
        if score and re.search(
            r"^version 1[6-9]\.\d+|^platform |^license boot level|^boot system .*(packages\.conf|\.SPA\.)", text, re.M
        ):
            return score + 1
        return 0
