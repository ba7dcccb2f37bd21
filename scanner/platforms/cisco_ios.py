"""Cisco IOS and IOS-XE (netmiko ``cisco_ios``, ``cisco_xe``)."""

from __future__ import annotations

import re

from scanner.configtree import Line
from scanner.facts import ConfigArchive, Facts, LogHost, PowerStatus, PowerSupply, Service, SshServer
from scanner.platforms import register
from scanner.platforms._cisco import CiscoStyle, markers, power_status
from scanner.platforms._syntax import syntax_family
from scanner.platforms.base import CommandSet, EvidenceMaker
from scanner.showparse import locate

_TRANSPORT_RE = re.compile(r"^transport\s+input\s+(?P<protocols>.+)$")
_LOGGING_HOST_RE = re.compile(r"^logging\s+(?:host\s+)?(?P<address>\d+\.\d+\.\d+\.\d+|[0-9a-fA-F:]+:[0-9a-fA-F:]*)\b")
_LOGGING_HOST_NAME_RE = re.compile(r"^logging\s+host\s+(?:ipv6\s+)?(?P<address>\S+)")
_HTTP_SERVERS = (("ip http server", "http"), ("ip http secure-server", "https"))


def ssh_server(statement: Line | None, ev: EvidenceMaker) -> SshServer:
    """``ip ssh version 1|2``; without it IOS and IOS-XE run SSH in compatibility mode (1.99: both).

    CIS Cisco IOS 15/16 and IOS-XE benchmarks (2.1.1.2): "When enabled, SSH operates in
    compatibility mode (versions 1 and 2 supported)".
    """
    if statement is not None:
        version = statement.text.split()[3]
        versions = ("1", "2") if version == "1.99" else (version,)
        return SshServer(versions, CiscoStyle.line_evidence(ev, statement))
    return SshServer(("1", "2"), None, "IOS default: SSH compatibility mode 1.99 (versions 1 and 2)")


@register
class CiscoIOS(CiscoStyle):
    name = "cisco_ios"
    display_name = "Cisco IOS"
    vendor = "cisco"
    ntc_platform = "cisco_ios"
    commands = CommandSet(
        version="show version",
        config="show running-config",
        power=("show inventory", "show environment power all"),
        neighbors=("show cdp neighbors detail", "show lldp neighbors detail"),
        arp=("show ip arp",),
    )
    hier_config = "CISCO_IOS"
    session_setup = ("terminal length 0", "terminal width 511")
    config_end = "end"
    volatile = (
        r"! Last configuration change at ",
        r"! NVRAM config last updated at ",
        r"! No configuration change since last restart",
        r"Current configuration : \d+ bytes",
        r"ntp clock-period \d+",
    )
    statement_words = frozenset({"logging", "ip", "no", "ftp-server", "tftp-server", "line", "archive"})
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
        "line_password": ("{context}", " no password", " login local"),
        "add_syslog_host": ("logging host <syslog-server>", "logging trap informational"),
        "archive_config": ("archive", " path flash:$h-archive", " maximum 14", " write-memory", " time-period 1440"),
        "login_lockout": ("login block-for {lock_seconds} attempts {attempts} within 120",),
        "idle_timeout": ("{context}", " exec-timeout {minutes} 0"),
        "ntp_server": ("ntp server <ntp-server>",),
        "ntp_enable": ("{context}", " no ntp disable"),
        "ntp_authenticate": (
            "ntp authentication-key 1 md5 <ntp-key>",
            "ntp trusted-key 1",
            "ntp authenticate",
            "ntp server {server} key 1",
        ),
        "log_timestamps": ("service timestamps log datetime msec localtime show-timezone",),
        "ssh_v2_only": ("ip ssh version 2",),
        "log_config_changes": (
            "archive",
            " log config",
            "  logging enable",
            "  notify syslog contenttype plaintext",
            "  hidekeys",
        ),
        "management_acl": (
            "ip access-list standard MGMT-ACCESS",
            " permit <mgmt-subnet> <wildcard>",
            " deny any log",
            "{context}",
            " access-class MGMT-ACCESS in",
        ),
        "management_acl_http": (
            "ip access-list standard MGMT-ACCESS",
            " permit <mgmt-subnet> <wildcard>",
            " deny any log",
            "ip http access-class ipv4 MGMT-ACCESS",
        ),
        "management_acl_snmp": (
            "ip access-list standard MGMT-ACCESS",
            " permit <mgmt-subnet> <wildcard>",
            " deny any log",
            "snmp-server community <community> RO MGMT-ACCESS",
        ),
        "management_acl_permit_standard": (" permit <mgmt-subnet> <wildcard>",),
        "management_acl_permit_extended": (" permit tcp <mgmt-subnet> <wildcard> any eq 22",),
        # The IPv6 side: IOS filters IPv6 by its own list, bound apart from the IPv4 one.
        "management_acl6": (
            "ipv6 access-list MGMT-ACCESS6",
            " permit ipv6 <mgmt-prefix6> any",
            " deny ipv6 any any log",
            "{context}",
            " ipv6 access-class MGMT-ACCESS6 in",
        ),
        "management_acl6_http": (
            "ipv6 access-list MGMT-ACCESS6",
            " permit ipv6 <mgmt-prefix6> any",
            " deny ipv6 any any log",
            "ip http access-class ipv6 MGMT-ACCESS6",
        ),
        # One statement binds both lists of a community (entered again, it replaces the first):
        # {ipv4} is the IPv4 list the community keeps.
        "management_acl6_snmp": (
            "ipv6 access-list MGMT-ACCESS6",
            " permit ipv6 <mgmt-prefix6> any",
            " deny ipv6 any any log",
            "snmp-server community <community> RO ipv6 MGMT-ACCESS6 {ipv4}",
        ),
        "management_acl_permit6_extended": (" permit ipv6 <mgmt-prefix6> any",),
    }

    @classmethod
    def detect(cls, text: str) -> int:
        found = markers(text)
        if "foreign" in found:
            return 0
        score = 3 * ("ios_version" in found) + 3 * ("ios_header" in found) + 2 * ("ios_service" in found)
        score += 2 * ("ios_line" in found) + ("ios_interface" in found)
        if found & {"feature", "nxos_command", "eos_command", "eos_device", "nexus", "vrf_context"}:
            return max(score - 4, 0)
        if score < 4:
            # Weak or no markers (an interface name is shared with VRP): the language decides.
            family = syntax_family(text)
            if family == "cisco":
                return max(score, 1)  # Cisco-style statements, no marker of NX-OS or EOS: IOS is the common case
            if family is not None:
                return 0
        return score

    def config_statement(self, first: str, line: Line, facts: Facts, ev: EvidenceMaker, seen: dict[str, Line]) -> None:
        text = line.text
        if first == "logging":
            match = _LOGGING_HOST_RE.match(text) or _LOGGING_HOST_NAME_RE.match(text)
            if match and match.group("address") not in {"on", "buffered", "console", "trap", "source-interface"}:
                facts.log_hosts.append(LogHost(match.group("address"), self.line_evidence(ev, line)))
        elif text in ("no logging on", "no logging trap"):
            # Logging off altogether, or off towards the syslog servers (the trap level).
            seen["logging off"] = line
        elif text.startswith("ip ssh version "):
            seen["ssh version"] = line
        elif first in ("ip", "no"):
            for statement, name in _HTTP_SERVERS:
                if text in (statement, f"no {statement}"):
                    enabled = text == statement
                    facts.services.append(Service(name, enabled, self.line_evidence(ev, line), detail=text))
        elif text == "ftp-server enable":
            facts.services.append(Service("ftp", True, self.line_evidence(ev, line), detail=text))
        elif first == "tftp-server":
            facts.services.append(Service("tftp", True, self.line_evidence(ev, line), detail=text, context=text))
        elif first == "line":
            self._line(line, facts, ev)
        elif first == "archive":
            path = line.child(r"^path\s+")
            if path is not None:
                target = path.text.split(None, 1)[1]
                facts.archives.append(ConfigArchive(target=target, evidence=self.line_evidence(ev, path)))

    def _line(self, line: Line, facts: Facts, ev: EvidenceMaker) -> None:
        """``line vty``/``line aux``: telnet is accepted unless ``transport input`` excludes it."""
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
                default = "IOS default: 'transport input' differs by release (all, telnet included, on older ones)"
                detail = f"{line.text}: no 'transport input' ({default})"
                facts.services.append(Service("telnet", True, self.line_evidence(ev, line), detail, line.text, default))
            return
        child, protocols = transport
        enabled = "telnet" in protocols or "all" in protocols
        detail = f"{line.text}: {child.text}"
        facts.services.append(
            Service("telnet", enabled, self.line_evidence(ev, child), detail=detail, context=line.text)
        )

    def finish_config(self, facts: Facts, ev: EvidenceMaker, seen: dict[str, Line]) -> None:
        off = seen.get("logging off")
        if off is not None:
            facts.logging_off = self.line_evidence(ev, off)
        facts.ssh = ssh_server(seen.get("ssh version"), ev)

    def environment_supplies(self, rows: list[dict[str, str]], text: str, ev: EvidenceMaker) -> list[PowerSupply]:
        supplies = []
        for row in rows:
            name = row.get("ps_module") or row.get("pid") or "power supply"
            number, line = locate(text, row.get("ps_module", ""), row.get("serial", ""))
            # Stack members with a built-in supply report only "Sys Pwr".
            status = row.get("status", "") or row.get("sys_pwr", "")
            state: PowerStatus = power_status(status)
            if state == "ok" and row.get("sys_pwr", "").lower() == "bad":
                state = "failed"
            detail = f"{row.get('pid', '')} {status}".strip()
            supplies.append(PowerSupply(name=name, status=state, evidence=ev(number, line), detail=detail))
        return supplies


@register
class CiscoXE(CiscoIOS):
    name = "cisco_xe"
    display_name = "Cisco IOS-XE"

    @classmethod
    def detect(cls, text: str) -> int:
        score = CiscoIOS.detect(text)
        found = markers(text)
        if score and found & {"xe_version", "xe_platform"}:
            return score + 1
        return 0
