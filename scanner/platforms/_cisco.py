"""Readers shared by the Cisco-style platforms (IOS, IOS-XE, NX-OS, EOS).

Their configurations share most syntax: usernames, enable, snmp-server, logging,
line vty. What differs per OS stays in the OS's module.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import ClassVar

from netutils.password import decrypt_cisco_type7

from scanner.configtree import ConfigTree, Line
from scanner.facts import Facts, LocalAccount, Neighbor, PowerStatus, PowerSupply, SnmpCommunity, crypt_scheme
from scanner.masking import REDACTOR, Secret
from scanner.platforms._acl.cisco import read_cisco_access
from scanner.platforms._cisco_baseline import Dialect, read_cisco_baseline
from scanner.platforms._interfaces import cisco_interfaces
from scanner.platforms.base import EvidenceMaker, Platform
from scanner.showparse import locate

# Text that only other vendors' configurations contain: a Cisco-style detector scores 0 on it.
# One multi-line pattern, one alternative per marker (the group name): a single regex
# pass over a configuration head finds them all.
_MARKERS = re.compile(
    r"^(?:"
    r"(?P<foreign>[ \t]*sysname \S|[ \t]*ipv4 address \d|set system |system \{|ASA Version|PIX Version|: Saved"
    r"|!! IOS XR|config system|interface \S+\d+/\d+/\d+/\d+)"
    r"|(?P<separator>#[ \t]*$)"
    r"|(?P<xe_version>version 1[6-9]\.\d)"
    r"|(?P<ios_version>version 1[0-9]\.\d)"
    r"|(?P<nxos_version>version \d+\.\d+\(\d+\))"
    r"|(?P<ios_header>Building configuration|Current configuration :)"
    r"|(?P<ios_service>service timestamps|ip cef|no ip domain[ -]lookup|boot-start-marker)"
    r"|(?P<ios_line>line (?:vty|con) \d)"
    r"|(?P<feature>feature )"
    r"|(?P<nxos_command>!Command: show running-config)"
    r"|(?P<eos_command>! Command: show running-config)"
    r"|(?P<eos_device>! device: \S+ \()"
    r"|(?P<vrf_context>vrf context )"
    r"|(?P<eos_only>management api http-commands|transceiver qsfp default-mode|service routing protocols model)"
    r"|(?P<xe_platform>platform |license boot level|boot system .*(?:packages\.conf|\.SPA\.))"
    r"|(?P<ios_interface>interface (?:GigabitEthernet|FastEthernet|TenGigabitEthernet|Serial|Vlan)\S*\d)"
    r"|(?P<nxos_interface>interface (?:Ethernet\d+/\d+|mgmt0))"
    r"|(?P<eos_interface>interface (?:Ethernet\d+(?:/\d+)?$|Management\d))"
    r")",
    re.M,
)


@lru_cache(maxsize=8)
def markers(text: str) -> frozenset[str]:
    """The Cisco-family markers found in a configuration head (one regex pass).

    Each platform's ``detect`` scores these instead of running its own searches over
    the text. Three ``#`` separator lines mark Huawei/H3C (a Cisco banner may end in one).
    """
    found: set[str] = set()
    separators = 0
    for match in _MARKERS.finditer(text):
        name = match.lastgroup
        if name == "separator":
            separators += 1
        elif name is not None:
            found.add(name)
    if "xe_version" in found:
        found.add("ios_version")
    if separators >= 3:
        found.add("foreign")
    if "role network-admin" in text or "role network-operator" in text:
        found.add("nxos_role")
    if "role network-admin secret sha512" in text:
        found.add("eos_interface")
    if "Cisco Nexus" in text:
        found.add("nexus")
    return frozenset(found)


def looks_foreign(text: str) -> bool:
    """Huawei/H3C (``#`` separators, ``sysname``), Junos, ASA, IOS-XR... but not a Cisco banner ending in ``#``."""
    return "foreign" in markers(text)


# username NAME [privilege N] [role R] (secret|password) [TYPE|sha512] VALUE [role R]
_USERNAME_RE = re.compile(
    r"^username\s+(?P<name>\S+)(?P<opts>.*?)\s+(?P<kw>secret|password)"
    r"(?:\s+(?P<type>sha512|sha256|[0-9]{1,2}))?\s+(?P<value>\S+)(?P<rest>.*)$"
)
_NOPASSWORD_RE = re.compile(r"^username\s+(?P<name>\S+)(?P<opts>.*?)\s+nopassword\b")
_PRIVILEGE_RE = re.compile(r"\bprivilege\s+(\d+)")
_ROLE_RE = re.compile(r"\brole\s+(\S+)")
_ENABLE_RE = re.compile(
    r"^enable\s+(?P<kw>secret|password)(?:\s+level\s+(?P<level>\d+))?"
    r"(?:\s+(?P<type>sha512|sha256|[0-9]{1,2}))?\s+(?P<value>\S+)"
)
_ADMIN_ROLES = {"network-admin", "priv-15", "vdc-admin"}


def classify_secret(kw: str, type_: str | None, value: str) -> tuple[str, str, Secret | None, bool]:
    """(storage, scheme, recovered clear text, broken hash) of a Cisco-style stored credential.

    A crypt hash is named by its family whatever announced it (``secret 5 $1$...``,
    ``secret $1$...``, NX-OS ``password 5 $5$...``), so the policy judges MD5-crypt alike
    everywhere.
    """
    if value.startswith("$") and (type_ == "5" or (kw == "secret" and type_ in (None, "0"))):
        return "hash", crypt_scheme(value), None, False
    if type_ in (None, "0"):
        # "enable secret X" without a type is hashed by the device before it is saved;
        # a config showing it unhashed was written by hand and is clear text.
        return "plaintext", "type0", Secret(value), False
    if type_ == "7":
        try:
            clear = decrypt_cisco_type7(value)
        except (ValueError, IndexError, KeyError):
            return "reversible", "type7", None, False
        return "reversible", "type7", Secret(clear), False
    if type_ == "6":
        return "reversible", "type6 (AES, master key)", None, False
    if type_ in ("8", "9", "sha512", "sha256"):
        scheme = f"type{type_}" if type_.isdigit() else type_
        return "hash", scheme, None, False
    if type_ == "4":
        return "hash", "type4 (broken SHA-256)", None, True
    return "hash", f"type{type_}", None, False


def parse_username(line: Line, ev: EvidenceMaker, admin_roles: set[str] = _ADMIN_ROLES) -> LocalAccount | None:
    text = line.text
    match = _USERNAME_RE.match(text)
    if match is None:
        none = _NOPASSWORD_RE.match(text)
        if none is None:
            return None
        opts = none.group("opts")
        return LocalAccount(
            name=none.group("name"),
            kind="user",
            admin=_is_admin(opts, admin_roles),
            storage="none",
            scheme="nopassword",
            evidence=Platform.line_evidence(ev, line),
        )
    kw, type_, value = match.group("kw"), match.group("type"), match.group("value")
    storage, scheme, recovered, weak = classify_secret(kw, type_, value)
    REDACTOR.add(value)
    opts = match.group("opts") + " " + match.group("rest")
    return LocalAccount(
        name=match.group("name"),
        kind="user",
        admin=_is_admin(opts, admin_roles),
        storage=storage,  # type: ignore[arg-type]
        scheme=scheme,
        evidence=Platform.line_evidence(ev, line),
        recovered=recovered,
        weak_hash=weak,
    )


def _is_admin(opts: str, admin_roles: set[str]) -> bool:
    privilege = _PRIVILEGE_RE.search(opts)
    if privilege and int(privilege.group(1)) >= 15:
        return True
    role = _ROLE_RE.search(opts)
    return bool(role and role.group(1) in admin_roles)


def parse_enable(line: Line, ev: EvidenceMaker) -> LocalAccount | None:
    match = _ENABLE_RE.match(line.text)
    if match is None:
        return None
    kw, type_, value = match.group("kw"), match.group("type"), match.group("value")
    storage, scheme, recovered, weak = classify_secret(kw, type_, value)
    REDACTOR.add(value)
    level = match.group("level")
    return LocalAccount(
        name=f"enable {kw}" + (f" level {level}" if level else ""),
        kind="enable",
        admin=level is None or int(level) >= 15,
        storage=storage,  # type: ignore[arg-type]
        scheme=scheme,
        evidence=Platform.line_evidence(ev, line),
        recovered=recovered,
        weak_hash=weak,
    )


# line con 0 / line vty 0 4 / line aux 0: "password [0|7] VALUE", "privilege level N"
_LINE_PASSWORD_RE = re.compile(r"^password(?:\s+(?P<type>[0-9]))?\s+(?P<value>\S+)")
_LINE_KINDS = ("con", "console", "vty", "aux", "tty")


def parse_line_password(block: Line, ev: EvidenceMaker) -> LocalAccount | None:
    """The login password of a ``line`` block, judged like any stored credential.

    Its users reach privilege 15 when the line says ``privilege level 15``; otherwise
    they log in at level 1 and need the enable secret to manage the device.
    """
    words = block.text.split()
    if len(words) < 2 or not words[1].startswith(_LINE_KINDS):
        return None
    password = block.child(_LINE_PASSWORD_RE)
    if password is None:
        return None
    match = _LINE_PASSWORD_RE.match(password.text)
    assert match is not None
    value = match.group("value")
    storage, scheme, recovered, weak = classify_secret("password", match.group("type"), value)
    REDACTOR.add(value)
    level = block.child(r"^privilege level \d+")
    return LocalAccount(
        name=block.text,
        kind="line",
        admin=level is not None and int(level.text.split()[2]) >= 15,
        storage=storage,  # type: ignore[arg-type]
        scheme=scheme,
        evidence=Platform.line_evidence(ev, password),
        recovered=recovered,
        weak_hash=weak,
        context=block.text,
    )


_COMMUNITY_RE = re.compile(r"^snmp-server\s+community\s+(?P<value>\S+)(?P<rest>.*)$")
_NXOS_RW_GROUPS = {"network-admin", "vdc-admin"}


def parse_community(line: Line, ev: EvidenceMaker) -> SnmpCommunity | None:
    """IOS ``[view V] [RO|RW] [ipv6 L6] [acl]``, NX-OS ``group G | ro | rw [use-acl A] | use-ipv4acl A |
    use-ipv6acl L6``, EOS ``[view V] [ro|rw] [ipv6 L6] [acl]``.

    The list after ``ipv6`` (``use-ipv6acl``) filters the community's IPv6 requests only, and the
    last word, or ``use-acl``/``use-ipv4acl``, its IPv4 requests only (IOS: the Network Management
    command reference's ``snmp-server community``; EOS: the order Arista's AVD templates print,
    ``ro ipv6 L6 L4``; NX-OS: Batfish's grammar, ``use-ipv4acl``/``use-ipv6acl`` one per line).
    """
    match = _COMMUNITY_RE.match(line.text)
    if match is None:
        return None
    words = match.group("rest").split()
    lowered = [w.lower() for w in words]
    access = "ro"
    if "rw" in lowered:
        access = "rw"
    if "group" in lowered:
        position = lowered.index("group")
        if position + 1 < len(words) and words[position + 1] in _NXOS_RW_GROUPS:
            access = "rw"
    acl = acl6 = None
    for keyword in ("use-acl", "use-ipv4acl", "ipv4"):
        if keyword in lowered and lowered.index(keyword) + 1 < len(words):
            acl = words[lowered.index(keyword) + 1]
    for keyword in ("use-ipv6acl", "ipv6"):
        if keyword in lowered and lowered.index(keyword) + 1 < len(words):
            acl6 = words[lowered.index(keyword) + 1]
    # The last word is the IPv4 list unless it is a keyword or the name a keyword takes.
    named = len(words) >= 2 and lowered[-2] in ("view", "ipv6", "use-ipv6acl")
    if acl is None and words and lowered[-1] not in ("ro", "rw") and "group" not in lowered and not named:
        acl = words[-1]
    return SnmpCommunity(
        value=Secret(match.group("value")),
        access=access,  # type: ignore[arg-type]
        storage="clear",
        evidence=Platform.line_evidence(ev, line),
        acl=acl,
        acl6=acl6,
    )


# ---- show outputs ---------------------------------------------------------------------

_POWER_NAME_RE = re.compile(r"power[ -]?supply|\bPS\s?\d|\bPWR|\bPEM\b|\bpsu\b", re.IGNORECASE)


def power_status(raw: str) -> PowerStatus:
    status = raw.strip().lower()
    if not status:
        return "unknown"
    if status in {"ok", "good", "active", "powered-on", "on", "normal", "present", "standby"}:
        return "ok"
    if "not present" in status or status in {"absent", "empty", "not-present", "notpresent"}:
        return "absent"
    return "failed"


def power_from_inventory(platform: Platform, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
    """Power supplies listed by ``show inventory`` (presence only)."""
    for row in platform.show_rows(command, text):
        name, descr, pid = row.get("name", ""), row.get("descr", ""), row.get("pid", "")
        if (
            _POWER_NAME_RE.search(name)
            or _POWER_NAME_RE.search(descr)
            or pid.upper().startswith(("PWR", "PS-", "N9K-PAC", "N9K-PUV", "NXA-PAC"))
        ):
            number, line = locate(text, f'"{name}"') if name else locate(text, pid, row.get("sn", ""))
            facts.power_supplies.append(
                PowerSupply(name=name or pid, status="unknown", evidence=ev(number, line), detail=pid)
            )


_GENERIC_POWER_ROW = re.compile(
    r"^\s*(?P<name>(?:\d+/)?(?:PS|PSU|PWR|Power ?Supply|PEM)[\s-]?\S*|\d+[AB]?)\s+(?P<rest>.*)$", re.IGNORECASE
)
_STATUS_WORDS = re.compile(
    r"\b(ok|good|active|normal|standby|not present|absent|fail(?:ed|ure)?|faulty|bad|no input(?: power)?"
    r"|shutdown|powered[- ]off|fail/shutdown)\b",
    re.IGNORECASE,
)


def power_from_table(text: str, ev: EvidenceMaker) -> list[PowerSupply]:
    """A tolerant reader for power tables no template covers: one row per supply, a status word in it."""
    supplies = []
    for number, line in enumerate(text.splitlines(), 1):
        match = _GENERIC_POWER_ROW.match(line)
        if match is None:
            continue
        status = _STATUS_WORDS.search(match.group("rest"))
        if status is None:
            continue
        supplies.append(
            PowerSupply(
                name=match.group("name").strip(),
                status=power_status(status.group(1)),
                evidence=ev(number, line),
                detail=status.group(1),
            )
        )
    return supplies


def _entry_line(text: str, marker: str, name: str, start: int) -> tuple[int, str]:
    """The line that names neighbour ``name`` (``Device ID: name``), at or after ``start``."""
    number, line = locate(text, marker, name, start=start)
    if not number:
        number, line = locate(text, name, start=start)
    return number, line


def neighbors_from_cdp(platform: Platform, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
    start = 1
    for row in platform.show_rows(command, text):
        name = row.get("neighbor_name") or row.get("chassis_id") or row.get("dest_host") or ""
        number, line = _entry_line(text, "Device ID", name, start)
        start = number + 1 if number else start
        facts.neighbors.append(
            Neighbor(
                protocol="cdp",
                local_interface=row.get("local_interface") or row.get("local_port") or "",
                remote_name=name,
                remote_interface=row.get("neighbor_interface") or row.get("remote_port") or None,
                evidence=ev(number, line),
                remote_address=row.get("mgmt_address") or row.get("mgmt_ip") or row.get("interface_ip") or None,
                remote_platform=row.get("platform") or None,
            )
        )


def neighbors_from_lldp(platform: Platform, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
    start = 1
    for row in platform.show_rows(command, text):
        name = row.get("neighbor_name") or row.get("neighbor") or row.get("chassis_id") or ""
        number, line = _entry_line(text, "System Name", name, start)
        start = number + 1 if number else start
        remote_port = row.get("neighbor_port_id") or row.get("neighbor_interface") or None
        facts.neighbors.append(
            Neighbor(
                protocol="lldp",
                local_interface=row.get("local_interface") or "",
                remote_name=name,
                remote_interface=remote_port,
                evidence=ev(number, line),
                remote_address=row.get("mgmt_address") or None,
                remote_platform=(row.get("neighbor_description") or row.get("platform") or None),
                remote_serial=row.get("serial") or None,
            )
        )


class CiscoStyle(Platform):
    """What IOS, NX-OS and EOS read alike: hostname, usernames, enable, SNMP communities,
    neighbours, version, and power from ``show inventory`` plus an environment table.

    A subclass handles its own statements in :meth:`config_statement` and turns its
    environment command's template rows into supplies in :meth:`environment_supplies`.
    """

    admin_roles: ClassVar[set[str]] = _ADMIN_ROLES
    syntax = "cisco"
    config_mode = ("configure terminal", "end")
    # First words of the top-level statements the subclass's config_statement reads;
    # every other statement (interfaces, routing, ACLs: most of a config) is skipped
    # without building a Line for it.
    statement_words: ClassVar[frozenset[str]] = frozenset()
    # Whether an Ethernet port with no switchport statement and no address bridges (EOS: yes).
    default_switchport: ClassVar[bool] = False
    # Whose defaults and syntax the baseline reader applies (scanner/platforms/_cisco_baseline.py).
    baseline_dialect: ClassVar[Dialect] = "ios"
    # Which access-list syntax and routing defaults apply (scanner/platforms/_acl/cisco.py).
    acl_dialect = "ios"

    def parse_config(self, tree: ConfigTree, facts: Facts, ev: EvidenceMaker) -> None:
        seen: dict[str, Line] = {}
        texts, wanted = tree.texts, self.statement_words
        for index in tree.top_indices():
            text = texts[index]
            first = text.partition(" ")[0]
            if first == "hostname" or first == "switchname":
                words = text.split()
                facts.hostname = words[1] if len(words) > 1 else None
            elif first == "username":
                if account := parse_username(Line(tree, index), ev, self.admin_roles):
                    facts.accounts.append(account)
            elif first == "enable":
                if account := parse_enable(Line(tree, index), ev):
                    facts.accounts.append(account)
            elif text.startswith("snmp-server community "):
                if community := parse_community(Line(tree, index), ev):
                    facts.snmp_communities.append(community)
            elif first == "line":
                if account := parse_line_password(Line(tree, index), ev):
                    facts.accounts.append(account)
                if first in wanted:
                    self.config_statement(first, Line(tree, index), facts, ev, seen)
            elif first in wanted:
                self.config_statement(first, Line(tree, index), facts, ev, seen)
        facts.interfaces = cisco_interfaces(
            tree, lambda line: self.line_evidence(ev, line), default_switchport=self.default_switchport
        )
        facts.access = read_cisco_access(tree, facts, ev, self.acl_dialect or "ios")
        self.finish_config(facts, ev, seen)
        read_cisco_baseline(tree, facts, lambda line: self.line_evidence(ev, line), self.baseline_dialect)

    def config_statement(self, first: str, line: Line, facts: Facts, ev: EvidenceMaker, seen: dict[str, Line]) -> None:
        """A top-level statement the shared reader does not know (``first`` is its first word).

        ``seen`` is scratch space for this one parse: statements to remember for
        :meth:`finish_config` (the platform object itself is shared, so it keeps no state).
        """

    def finish_config(self, facts: Facts, ev: EvidenceMaker, seen: dict[str, Line]) -> None:
        """Conclusions that need the whole configuration read first."""

    def parse_version(self, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        version_from_rows(self.show_rows(self.commands.version, text), facts)

    def parse_power(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        if command == "show inventory":
            power_from_inventory(self, command, text, facts, ev)
            return
        rows = self._environment_rows(command, text)
        supplies = self.environment_supplies(rows, text, ev) if rows else []
        facts.power_supplies.extend(supplies or power_from_table(text, ev))

    def environment_supplies(self, rows: list[dict[str, str]], text: str, ev: EvidenceMaker) -> list[PowerSupply]:
        raise NotImplementedError

    def parse_neighbors(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        if "cdp" in command:
            neighbors_from_cdp(self, command, text, facts, ev)
        else:
            neighbors_from_lldp(self, command, text, facts, ev)


def version_from_rows(rows: list[dict[str, str]], facts: Facts) -> None:
    if not rows:
        return
    row = rows[0]
    facts.hostname = facts.hostname or row.get("hostname") or None
    facts.version = row.get("version") or row.get("os") or row.get("image") or None
    hardware = row.get("hardware") or row.get("platform") or row.get("model")
    if isinstance(hardware, list):
        hardware = hardware[0] if hardware else None
    facts.model = hardware or None
    serial = row.get("serial") or row.get("serial_number")
    for value in serial if isinstance(serial, list) else [serial]:
        if value and value not in facts.serials:
            facts.serials.append(value)
