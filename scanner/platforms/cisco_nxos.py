"""Cisco NX-OS (netmiko ``cisco_nxos``)."""

from __future__ import annotations

import re

from scanner.configtree import Line
from scanner.facts import Facts, LogHost, PowerSupply, Service
from scanner.platforms import register
from scanner.platforms._cisco import CiscoStyle, markers, power_status
from scanner.platforms.base import CommandSet, EvidenceMaker
from scanner.showparse import locate

_LOGGING_SERVER_RE = re.compile(r"^logging\s+server\s+(?P<address>\S+)")


def _major(version: str) -> int:
    """9 from ``9.3(10)``; 0 when unknown (the older syntax is then given)."""
    match = re.match(r"\s*(\d+)\.", version)
    return int(match.group(1)) if match else 0


# The sections NX-OS prints last, at the start of a line. Searched for after a newline (the
# engine then skips ahead to each newline: a ``^`` under re.M is tried at every character,
# ten times slower over a whole configuration), and matched at the very start apart.
_NXOS_LAST_SECTIONS = re.compile(r"(?:line vty|boot (?:nxos|system|kickstart) )")
_NXOS_LAST_SECTIONS_AFTER_NEWLINE = re.compile("\n" + _NXOS_LAST_SECTIONS.pattern)


def _reaches_last_sections(text: str) -> bool:
    return bool(_NXOS_LAST_SECTIONS.match(text) or _NXOS_LAST_SECTIONS_AFTER_NEWLINE.search(text))


@register
class CiscoNXOS(CiscoStyle):
    name = "cisco_nxos"
    display_name = "Cisco NX-OS"
    vendor = "cisco"
    ntc_platform = "cisco_nxos"
    commands = CommandSet(
        version="show version",
        config="show running-config",
        power=("show inventory", "show environment power"),
        neighbors=("show cdp neighbors detail", "show lldp neighbors detail"),
        arp=("show ip arp vrf all",),
    )
    hier_config = "CISCO_NXOS"
    session_setup = ("terminal length 0", "terminal width 511")
    serves_tftp = False
    volatile = (r"!Time: ", r"!Running configuration last done at: ")
    baseline_dialect = "nxos"
    acl_dialect = "nxos"
    statement_words = frozenset({"feature", "nxapi", "logging"})
    fixes = {
        "disable_http": ("no feature nxapi",),
        "disable_telnet": ("no feature telnet",),
        "remove_snmp_community": ("no snmp-server community {community}",),
        "readonly_snmp_community": (
            "no snmp-server community {community}",
            "snmp-server community <new-strong-community> group network-operator",
            "snmp-server community <new-strong-community> use-ipv4acl <mgmt-acl>",
        ),
        "hash_user_password": ("username {user} password <new-password> role {role}",),
        "add_syslog_host": ("logging server <syslog-server> 6 use-vrf management",),
        # NX-OS 9 and later write "system login block-for" (fix() adds "system" by the release).
        "login_lockout": ("login block-for {lock_seconds} attempts {attempts} within 120",),
        "idle_timeout": ("{context}", "  exec-timeout {minutes}"),
        "ntp_server": ("ntp server <ntp-server> use-vrf management",),
        "ntp_enable": ("feature ntp",),
        "ntp_authenticate": (
            "ntp authentication-key 1 md5 <ntp-key>",
            "ntp trusted-key 1",
            "ntp authenticate",
            "ntp server {server} key 1 use-vrf management",
        ),
        "log_timestamps": ("logging timestamp milliseconds",),
        "ssh_v2_only": ("feature ssh",),
        "log_config_changes": ("aaa accounting default group <tacacs-group>",),
        "management_acl": (
            "ip access-list MGMT-ACCESS",
            "  permit tcp <mgmt-prefix> any eq 22",
            "  deny ip any any log",
            "line vty",
            "  access-class MGMT-ACCESS in",
        ),
        "management_acl_snmp": (
            "ip access-list MGMT-SNMP",
            "  permit udp <mgmt-prefix> any eq snmp",
            "snmp-server community <community> use-ipv4acl MGMT-SNMP",
        ),
        "management_acl_permit_extended": ("  permit tcp <mgmt-prefix> any eq 22",),
        # The IPv6 side: NX-OS filters IPv6 by its own list, bound apart from the IPv4 one.
        "management_acl6": (
            "ipv6 access-list MGMT-ACCESS6",
            "  permit tcp <mgmt-prefix6> any eq 22",
            "  deny ipv6 any any log",
            "line vty",
            "  ipv6 access-class MGMT-ACCESS6 in",
        ),
        "management_acl6_snmp": (
            "ipv6 access-list MGMT-SNMP6",
            "  permit udp <mgmt-prefix6> any eq snmp",
            "snmp-server community <community> use-ipv6acl MGMT-SNMP6",
        ),
        "management_acl_permit6_extended": ("  permit tcp <mgmt-prefix6> any eq 22",),
    }

    def fix(self, key: str, **params: object) -> tuple[str, ...]:
        lines = super().fix(key, **params)
        if key == "login_lockout" and _major(str(params.get("version") or "")) >= 9:
            return tuple(f"system {line}" for line in lines)
        return lines

    def config_truncation(self, text: str) -> str | None:
        """NX-OS prints no ``end``, but it always prints ``line console`` and ``line vty`` (configured
        or not) and then the boot variables, in the last part of ``show running-config``: a
        configuration that reaches them is whole up to its logging settings."""
        if _reaches_last_sections(text):
            return None
        return (
            "a whole Cisco NX-OS configuration reaches `line vty` and the `boot` variables, which NX-OS "
            "always prints near its end; this one does not (cut short, or a section only)"
        )

    @classmethod
    def detect(cls, text: str) -> int:
        found = markers(text)
        if "foreign" in found:
            return 0
        score = 5 * ("nxos_command" in found) + 3 * ("feature" in found) + ("nxos_version" in found)
        score += ("vrf_context" in found) + ("nxos_role" in found) + ("nxos_interface" in found)
        if found & {"eos_command", "eos_device", "eos_only"}:
            score -= 5
        return max(score, 0)

    def config_statement(self, first: str, line: Line, facts: Facts, ev: EvidenceMaker, seen: dict[str, Line]) -> None:
        text = line.text
        if text == "feature nxapi":
            seen["nxapi"] = line
        elif text == "feature telnet":
            facts.services.append(Service("telnet", True, self.line_evidence(ev, line), detail=text))
        elif text == "nxapi http" or text.startswith("nxapi http "):
            seen["nxapi http"] = line
        elif text == "no nxapi https":
            seen["no nxapi https"] = line
        elif first == "logging":
            match = _LOGGING_SERVER_RE.match(text)
            if match:
                facts.log_hosts.append(LogHost(match.group("address"), self.line_evidence(ev, line)))

    def finish_config(self, facts: Facts, ev: EvidenceMaker, seen: dict[str, Line]) -> None:
        """``feature nxapi`` serves HTTPS (port 443 by default, until ``no nxapi https``), and
        plain HTTP too with ``nxapi http port N``."""
        feature, http = seen.get("nxapi"), seen.get("nxapi http")
        if feature is None:
            return
        no_https = seen.get("no nxapi https")
        if no_https is None:
            detail = f"NX-API over HTTPS ({feature.text}; NX-OS default: HTTPS on port 443)"
            facts.services.append(Service("https", True, self.line_evidence(ev, feature), detail=detail))
        else:
            facts.services.append(Service("https", False, self.line_evidence(ev, no_https), detail=no_https.text))
        if http is not None:
            detail = f"NX-API over plain HTTP ({feature.text} + {http.text})"
            facts.services.append(Service("http", True, self.line_evidence(ev, http), detail=detail))

    def environment_supplies(self, rows: list[dict[str, str]], text: str, ev: EvidenceMaker) -> list[PowerSupply]:
        supplies = []
        for row in rows:
            number = row.get("power_supply")
            if not number:
                continue
            model, status = row.get("power_supply_model", ""), row.get("power_supply_status", "")
            lineno, line = locate(text, number, model)
            supplies.append(
                PowerSupply(
                    name=f"PS{number}",
                    status=power_status(status),
                    evidence=ev(lineno, line),
                    detail=f"{model} {status}".strip(),
                )
            )
        return supplies
