"""Huawei VRP and H3C Comware, whose configurations are close cousins: the shared parser.

Both separate sections with ``#`` lines, name the device with ``sysname``, end with
``return``, turn things off with ``undo``, and share ``snmp-agent community``,
``info-center loghost``, ``super password`` and login lines (``user-interface`` /
``line``, read in :mod:`scanner.platforms._vrp_login`). :class:`VrpPlatform` reads all
of that once; each vendor module keeps only what differs (where accounts live, its
service statements, its defaults, its show outputs).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from scanner.configtree import ConfigTree, Line
from scanner.configview import ConfigView, TreeSection
from scanner.facts import Access, CommunityStorage, Facts, LogHost, PowerStatus, Service, SnmpCommunity
from scanner.masking import Secret
from scanner.model import Evidence
from scanner.platforms._acl.vrp import read_vrp_access
from scanner.platforms._interfaces import vrp_interfaces
from scanner.platforms._markers import compile_markers
from scanner.platforms._vrp_baseline import VrpDialect, read_vrp_baseline
from scanner.platforms._vrp_login import (
    CIPHER_TEXT,
    LoginLine,
    TelnetModel,
    TelnetStatements,
    line_password,
    super_password,
    telnet_services,
)
from scanner.platforms.base import EvidenceMaker, Platform

_SECTION_START = re.compile(r"^#[ \t]*\r?\n[ \t]+\S", re.M)

# Text only one of the two vendors writes, with how much it counts: each platform's
# detect() scores its own markers and subtracts the other's.
HUAWEI_MARKERS = compile_markers(
    (r"^!Software Version V\d{3}R", 6),
    (r"^aaa\s*\r?\n\s+authentication-scheme ", 3),
    (r"^\s*local-user \S+ password (?:irreversible-cipher|cipher|simple) ", 3),
    (r"^\s*local-user \S+ (?:privilege level|service-type) ", 2),
    (r"^\s*domain default_admin\b", 2),
    (r"^interface (?:Vlanif|Eth-Trunk|XGigabitEthernet|MEth|40GE|100GE|25GE|10GE)\d", 3),
    (r"^\s*port (?:default vlan|trunk allow-pass vlan|hybrid (?:tagged|untagged) vlan) ", 2),
    (r"^\s*(?:stelnet server enable|ssh user \S+ authentication-type|drop illegal-mac alarm)", 2),
    (r"^\s*(?:http (?:secure-)?server enable|ipv4-family (?:unicast|vpnv4|vpn-instance))", 1),
    (r"^\s*(?:firewall zone |local-aaa-user password policy|set save-configuration)", 2),
)
COMWARE_MARKERS = compile_markers(
    (r"^\s*version \d+\.\d+\.?\d*, (?:Release|ESS) ", 6),
    (r"^#? ?(?:H3C|HPE?) Comware|^\s*irf (?:domain|member|mac-address)|^irf-port ", 6),
    (r"^\s*local-user \S+ class (?:manage|network)", 4),
    (r"^\s*password-control |authorization-attribute (?:user-role|level) ", 3),
    (
        r"^interface (?:Vlan-interface|Bridge-Aggregation|Route-Aggregation|Ten-GigabitEthernet"
        r"|M-GigabitEthernet|FortyGigE|HundredGigE)\d",
        3,
    ),
    (r"^\s*port (?:access vlan|trunk permit vlan|link-mode (?:bridge|route))", 3),
    (r"^line (?:vty|class|aux|con) |^\s*domain (?:default enable )?system\b|^user-group system", 2),
    (r"^\s*(?:ip https? enable|ssh server enable|lldp global enable|undo copyright-info enable)", 1),
    (r"^acl (?:advanced|basic|mac|ipv6 advanced|ipv6 basic) |^\s*dhcp server ip-pool ", 3),
    (r"^\s*address-family (?:ipv4|ipv6|vpnv4|l2vpn)\b", 2),
    (r"^header (?:motd|incoming|legal|login|shell) (?!information)", 2),
)
_SYSNAME = re.compile(r"^\s*sysname \S|^return\s*$", re.M)
_SEPARATOR = re.compile(r"^#\s*$", re.M)


def looks_vrp_family(text: str) -> bool:
    """``sysname``, ``return`` or ``#`` separators: Huawei VRP or H3C Comware (not Cisco, not Junos)."""
    # Substring tests first: detection runs on every flat config, and most are not VRP/Comware.
    if "sysname " not in text and "return" not in text and text.count("#") < 3:
        return False
    if _SYSNAME.search(text, 0, 200000):
        return True
    return len(_SEPARATOR.findall(text, 0, 20000)) >= 3


def flatten_sections(text: str) -> str:
    """Dedent each ``#``-separated section by the indent of its first line.

    Comware 7 (and some VRP releases) print global commands indented by one space
    under a ``#`` separator (``#`` / `` sysname SW1`` / ``#``). The separator ends the
    previous block, so those lines are top-level; without this they would hang under
    the last unindented line before them. Line count and order are kept, so line
    numbers do not change.
    """
    if not _SECTION_START.search(text):
        return text
    out = []
    base = 0
    fresh = True
    for raw in text.splitlines():
        body = raw.lstrip()
        if not body:
            out.append(raw)
            continue
        indent = len(raw) - len(body)
        if body.rstrip() == "#" and indent == 0:
            fresh = True
            base = 0
            out.append(raw)
            continue
        if fresh:
            base = indent
            fresh = False
        elif indent < base:
            base = indent
        out.append(raw[base:])
    return "\n".join(out)


def config_roots(tree: ConfigTree) -> Iterator[Line]:
    """Top-level lines, without the body of a multi-line ``header`` (banner) text."""
    closing: str | None = None
    for line in tree.roots():
        text = line.text
        if closing is not None:
            if closing in text:
                closing = None
            continue
        if text.startswith("header "):
            closing = _header_delimiter(text)
            continue
        yield line


def vrp_config_view(platform: Platform, tree: ConfigTree, text: str, ev: EvidenceMaker) -> ConfigView:
    """What user rules read: the ``#``-separated blocks as sections, without banner text; ``undo`` negates."""

    def build() -> TreeSection:
        roots = [line.index for line in config_roots(tree)]
        return TreeSection(tree, ev, platform.negation, roots=roots)

    return ConfigView(build, platform.commands.config, platform.config_truncation(text))


def _header_delimiter(text: str) -> str | None:
    """The delimiter still open after ``header motd %...`` / ``header login information "...``, if any."""
    words = text.split(None, 2)
    if len(words) < 3:
        return None
    rest = words[2]
    if rest.startswith("information "):
        rest = rest[len("information ") :].lstrip()
    if not rest:
        return None
    delimiter = rest[0]
    return None if rest.count(delimiter) >= 2 else delimiter


def rest_after(text: str, words: int) -> str:
    """``text`` without its first ``words`` words (``sysname HP V1910 Switch`` -> ``HP V1910 Switch``)."""
    parts = text.split(None, words)
    return parts[words] if len(parts) > words else ""


# ---- SNMP -----------------------------------------------------------------------------

_RW_ROLES = {"network-admin", "level-15", "level-3"}


def parse_community(line: Line, ev: EvidenceMaker) -> SnmpCommunity | None:
    """``snmp-agent community {read|write} [simple|cipher] NAME [mib-view V] [acl N]`` (either keyword order).

    Comware 7 in RBAC mode writes ``snmp-agent community [simple|cipher] NAME user-role ROLE``:
    a network-admin role can write. A name without ``cipher`` is clear text although the
    device could have stored it as cipher text; that storage is reported by the check.
    """
    words = line.text.split()
    if len(words) < 3 or words[1] != "community":
        return None
    access: Access | None = None
    storage: CommunityStorage | None = None
    value = None
    position = 2
    while position < len(words):
        word = words[position]
        if word == "read":
            access = "ro"
        elif word == "write":
            access = "rw"
        elif word == "cipher":
            storage = "cipher"
        elif word == "simple":
            storage = "clear"
        elif word in ("complexity-check", "destination-host"):
            return None
        else:
            value = word
            break
        position += 1
    if value is None:
        return None
    rest = words[position + 1 :]
    if access is None:
        access = "rw" if _role(rest) in _RW_ROLES else "ro"
    if storage is None:
        storage = "cipher" if CIPHER_TEXT.match(value) else "clear"
    acl = _community_acl(rest)
    return SnmpCommunity(
        value=Secret(value),
        access=access,
        storage=storage,
        evidence=Platform.line_evidence(ev, line),
        acl=acl,
        could_encrypt=storage == "clear",
    )


def _community_acl(rest: list[str]) -> str | None:
    """The list after ``acl``: ``acl 2000``, ``acl NAME`` (Huawei), ``acl name NAME`` (H3C); ``ipv6`` for IPv6 lists."""
    if "acl" not in rest:
        return None
    position = rest.index("acl") + 1
    if position < len(rest) and rest[position] == "name":
        position += 1
    return rest[position] if position < len(rest) else None


def _role(words: list[str]) -> str | None:
    if "user-role" in words and words.index("user-role") + 1 < len(words):
        return words[words.index("user-role") + 1]
    return None


# ---- logging --------------------------------------------------------------------------


def loghost_address(text: str) -> str | None:
    """The server of ``info-center loghost [vpn-instance V] {ADDRESS | ipv6 ADDRESS | domain NAME} ...``.

    None for the settings that name no server (``loghost source``, ``timestamp``...).
    """
    words = text.split()
    position = 2
    while position < len(words):
        word = words[position]
        if word in ("source", "meta-data", "language", "timestamp", "terminal"):
            return None
        if word == "vpn-instance":
            position += 2
            continue
        if word in ("ipv6", "domain"):
            position += 1
            continue
        return word
    return None


def add_loghost(line: Line, facts: Facts, ev: EvidenceMaker) -> None:
    if not line.text.startswith("info-center loghost "):
        return
    address = loghost_address(line.text)
    if address is not None:
        facts.log_hosts.append(LogHost(address, Platform.line_evidence(ev, line)))


def disable_logging(facts: Facts, line: Line, ev: EvidenceMaker) -> None:
    """``undo info-center enable``: the device sends no log anywhere, whatever loghosts say."""
    facts.logging_off = Platform.line_evidence(ev, line)


# ---- show outputs ---------------------------------------------------------------------


def device_power_status(online: str, power: str, alarm: str) -> PowerStatus:
    """A power module row of ``display device``: Present/Absent, PowerOn/On/Off, Normal/Abnormal."""
    online_word = online.strip().lower()
    if online_word in ("absent", "notpresent", "not-present", "offline", ""):
        return "absent" if online_word != "offline" else "failed"
    if power.strip().lower() not in ("on", "poweron", "power-on", "-", ""):
        return "failed"
    if alarm.strip().lower() not in ("normal", "-", "", "na"):
        return "failed"
    return "ok"


# ---- the shared configuration parser ------------------------------------------------------


@dataclass
class VrpStatements:
    """What one configuration says, collected in one pass and concluded at the end."""

    telnet: TelnetStatements = field(default_factory=TelnetStatements)
    # statement (without "undo") -> (service name, line, enabled), the last one winning
    services: dict[str, tuple[str, Line, bool]] = field(default_factory=dict)
    logging_off: Line | None = None
    version: Line | None = None
    # The vendor's own statements (H3C password-control, Huawei aaa...).
    extra: dict[str, Line] = field(default_factory=dict)


class VrpPlatform(Platform):
    """What Huawei VRP and H3C Comware read alike, in one walk of the top-level statements.

    A subclass sets :attr:`service_statements` (``statement -> service``, read also after
    ``undo``), reads its own statements in :meth:`config_statement`, and says what its
    defaults are in :meth:`telnet_model` and :meth:`default_services`.
    """

    config_end = "return"
    cli_prompt = "<{hostname}>"
    negation = "undo "
    config_mode = ("system-view", "return")
    service_statements: ClassVar[Mapping[str, str]] = {}
    # The VTY block a telnet fix names when the configuration shows none.
    default_vty: ClassVar[str] = "user-interface vty 0 4"

    def prepare_config(self, text: str) -> str:
        return flatten_sections(text)

    def config_view(self, tree: ConfigTree, text: str, ev: EvidenceMaker) -> ConfigView:
        return vrp_config_view(self, tree, text, ev)

    def parse_config(self, tree: ConfigTree, facts: Facts, ev: EvidenceMaker) -> None:
        found = VrpStatements()
        services = self.service_statements
        facts.interfaces = vrp_interfaces(tree, lambda line: self.line_evidence(ev, line))
        for line in config_roots(tree):
            text = line.text
            first = text.split(" ", 1)[0]
            if first == "sysname":
                facts.hostname = rest_after(text, 1) or None
            elif first == "version":
                found.version = line
            elif first == "snmp-agent":
                community = parse_community(line, ev)
                if community is not None:
                    facts.snmp_communities.append(community)
            elif first == "info-center":
                add_loghost(line, facts, ev)
            elif first in ("user-interface", "line"):
                self._login_line(line, facts, ev, found)
            elif first == "super":
                account = super_password(line, ev)
                if account is not None:
                    facts.accounts.append(account)
            elif text == "undo info-center enable":
                found.logging_off = line
            elif text in ("telnet server enable", "undo telnet server enable"):
                found.telnet.server = (line, first != "undo")
            elif text in services:
                found.services[text] = (services[text], line, True)
            elif first == "undo" and text[5:] in services:
                found.services[text[5:]] = (services[text[5:]], line, False)
            else:
                self.config_statement(first, line, facts, ev, found)
        self._finish(facts, ev, found)
        anchor = self.line_evidence(ev, found.version) if found.version is not None else None
        dialect = self.baseline_dialect(facts, tree, anchor)
        read_vrp_baseline(config_roots(tree), facts, lambda line: self.line_evidence(ev, line), dialect)
        facts.access = read_vrp_access(tree, facts, ev, self.acl_dialect or "huawei")

    def _login_line(self, block: Line, facts: Facts, ev: EvidenceMaker, found: VrpStatements) -> None:
        login = LoginLine.of(block)
        if login is None:
            return
        found.telnet.lines.append(login)
        account = line_password(login, ev)
        if account is not None:
            facts.accounts.append(account)

    def _finish(self, facts: Facts, ev: EvidenceMaker, found: VrpStatements) -> None:
        for name, line, enabled in found.services.values():
            facts.services.append(Service(name, enabled, self.line_evidence(ev, line), line.text))
        anchor = self.line_evidence(ev, found.version) if found.version is not None else None
        configured = {name for name, _, _ in found.services.values()}
        for service in self.default_services(facts, configured, anchor):
            facts.services.append(service)
        model = self.telnet_model(facts, anchor)
        facts.services.extend(telnet_services(found.telnet, model, ev, self.default_vty))
        if found.logging_off is not None:
            disable_logging(facts, found.logging_off, ev)
        self.finish_config(facts, ev, found)

    def config_statement(self, first: str, line: Line, facts: Facts, ev: EvidenceMaker, found: VrpStatements) -> None:
        """A top-level statement the shared reader does not know (``first`` is its first word)."""

    def finish_config(self, facts: Facts, ev: EvidenceMaker, found: VrpStatements) -> None:
        """Conclusions that need the whole configuration read first."""

    def telnet_model(self, facts: Facts, anchor: Evidence | None) -> TelnetModel:
        """The platform's telnet defaults for this device (its release is in ``facts.version``)."""
        return TelnetModel(source=self.display_name, anchor=anchor)

    def default_services(self, facts: Facts, configured: set[str], anchor: Evidence | None) -> list[Service]:
        """Services a default turns on (or off) when no statement names them."""
        return []

    def baseline_dialect(self, facts: Facts, tree: ConfigTree, anchor: Evidence | None) -> VrpDialect:
        """The defaults of the device baseline (lockout, SSH, NTP...) for this device's release."""
        raise NotImplementedError
