"""Juniper Junos: SRX, EX, MX, QFX (netmiko ``juniper_junos``; ntc-templates ``juniper_junos``).

The configuration is read in ``set`` form (``show configuration | display set``); a
configuration in braces is converted first (:mod:`scanner.platforms._junos_set`),
keeping each statement's original line number. ``deactivate`` lines and groups that
are not applied with ``apply-groups`` take their statements out of effect, as on the
device.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field

from scanner.configtree import Backend, ConfigTree, Line
from scanner.configview import ConfigView
from scanner.facts import (
    ConfigArchive,
    Facts,
    LocalAccount,
    LogHost,
    Neighbor,
    PasswordPolicy,
    PowerStatus,
    PowerSupply,
    Service,
    SnmpCommunity,
    crypt_scheme,
)
from scanner.masking import Secret
from scanner.model import Evidence
from scanner.platforms import register
from scanner.platforms._acl.junos import ACL_HEADS, JunosAccess
from scanner.platforms._interfaces import JunosInterfaces
from scanner.platforms._junos_baseline import PREDEFINED_CLASSES, JunosBaseline
from scanner.platforms._junos_set import is_brace_form, split_words, to_set_lines, unclosed_blocks
from scanner.platforms._junos_view import JunosSection
from scanner.platforms._markers import compile_markers, marker_score
from scanner.platforms._syntax import syntax_family
from scanner.platforms.base import CommandSet, EvidenceMaker, Platform
from scanner.showparse import ShowParseError, locate

# Predefined classes; a configured class is an admin class when it grants "permissions all".
_ADMIN_CLASSES = {"super-user"}
_SERVICES = {"telnet": "telnet", "ftp": "ftp", "tftp-server": "tftp"}
_URL_PASSWORD = re.compile(r"(?P<head>://[^/\s:@\"]+:)(?P<password>[^@\s\"]+)@")

_JUNOS_SET_MARKERS = compile_markers(
    (r"^set version \d", 4),
    (r"^set system (?:services|root-authentication|login class|ntp server) ", 3),
    (r"^set interfaces \S+ unit \d+ family ", 4),
    (r"^set (?:routing-options|security (?:zones|policies)|chassis|vlans \S+ vlan-id|firewall family) ", 3),
    (r"^set (?:protocols (?:lldp|rstp|mstp|ospf area|isis|l2-learning)|snmp community \S+ authorization) ", 2),
    (r"^set system host-name \S", 1),
)
_JUNOS_BRACE_MARKERS = compile_markers(
    (r"^## Last (?:commit|changed): ", 4),
    (r"^system \{", 4),
    (r"^version \S+;", 3),
    (r"^(?:interfaces|protocols|routing-options|security|snmp|chassis|policy-options|firewall|vlans) \{", 2),
    (r"^\s+host-name \S+;", 2),
    (r"^\s+unit \d+ \{|^\s+family (?:inet|inet6|ethernet-switching) \{", 2),
    (r"^\s+(?:encrypted-password|authentication-key) \"", 1),
)
# VyOS / Vyatta, whose set syntax looks like Junos at a glance.
_VYOS_MARKERS = re.compile(
    r"^set (?:service |interfaces (?:ethernet|loopback|bridge|wireguard|bonding) |protocols static |"
    r"nat (?:source|destination) rule |firewall name )",
    re.M,
)


# The routing engine's management ports: what scanner.aclsources judges behind the lo0 filter.
_RE_TCP_PORTS = ("ftp", "ssh", "telnet", "http", "https", "830", "3220", "3221")


def _protect_re(family: str, name: str, protocol: str, prefix: str) -> tuple[str, ...]:
    """A skeleton lo0 input filter of ``family``: everything from ``prefix`` accepted, the
    management ports from elsewhere discarded, the rest (routing protocols, ICMP) accepted.

    ``protocol`` is the family's protocol match (``protocol``; ``next-header`` for inet6, as
    Juniper's "Firewall Filter Match Conditions for IPv6 Traffic" advises beside
    ``destination-port``)."""
    term = f"set firewall family {family} filter {name} term"
    return (
        f"{term} MGMT from source-address {prefix}",
        f"{term} MGMT then accept",
        f"{term} NO-MGMT-TCP from {protocol} tcp",
        *(f"{term} NO-MGMT-TCP from destination-port {port}" for port in _RE_TCP_PORTS),
        f"{term} NO-MGMT-TCP then discard",
        f"{term} NO-SNMP from {protocol} udp",
        f"{term} NO-SNMP from destination-port snmp",
        f"{term} NO-SNMP then discard",
        f"{term} OTHER then accept",
        f"set interfaces lo0 unit 0 family {family} filter input {name}",
    )


@dataclass
class _User:
    line: Line
    admin: bool = False
    login_class: str | None = None
    password: tuple[Line, str, str] | None = None  # (line, keyword, value)


@dataclass
class _Statements:
    """The effective statements of a set-form configuration, by what they configure."""

    # service name -> (line, statement that enables it, for the fix: "system services ftp",
    # "groups LEGACY system services ftp")
    services: dict[str, tuple[Line, str]] = field(default_factory=dict)
    users: dict[str, _User] = field(default_factory=dict)
    communities: dict[str, tuple[Line, str]] = field(default_factory=dict)
    log_hosts: dict[str, Line] = field(default_factory=dict)
    # Login classes that grant every permission ("set system login class C permissions all").
    admin_classes: set[str] = field(default_factory=lambda: set(_ADMIN_CLASSES))


@register
class JuniperJunos(Platform):
    name = "juniper_junos"
    display_name = "Juniper Junos"
    vendor = "juniper"
    aliases = ("junos", "juniper")
    ntc_platform = "juniper_junos"
    commands = CommandSet(
        version="show version",
        config="show configuration | display set",
        power=("show chassis hardware", "show chassis environment pem"),
        neighbors=("show lldp neighbors",),
        arp=("show arp no-resolve",),
    )
    comment = "#"
    syntax = "junos"
    session_setup = ("set cli screen-length 0", "set cli screen-width 511")
    config_end = None
    config_mode = ("configure", "commit")
    cli_prompt = "{user}@{hostname}>"
    cli_rejection = "syntax error, expecting <command>."
    volatile = (r"^## Last (?:commit|changed): ",)
    acl_dialect = "junos"
    fixes = {
        # {context}: "system services ftp", or "groups G system services ftp" when a group enables it.
        "disable_http": ("delete {context}",),
        "disable_ftp": ("delete {context}",),
        "disable_tftp": ("delete {context}",),
        "disable_telnet": ("delete {context}",),
        "remove_snmp_community": ("delete snmp community {community}",),
        "readonly_snmp_community": (
            "delete snmp community {community}",
            "set snmp community <new-strong-community> authorization read-only",
            "set snmp community <new-strong-community> clients <mgmt-prefix>",
        ),
        "hash_user_password": (
            "set system login password format sha512",
            "set system login user {user} authentication plain-text-password",
        ),
        "hash_root_password": (
            "set system login password format sha512",
            "set system root-authentication plain-text-password",
        ),
        "set_user_password": ("set system login user {user} authentication plain-text-password",),
        "password_policy": ("set system login password minimum-length 10", "set system login password format sha512"),
        "add_syslog_host": (
            "set system syslog host <syslog-server> any notice",
            "set system syslog host <syslog-server> authorization info",
            "set system syslog host <syslog-server> interactive-commands any",
        ),
        "archive_config": (
            "set system archival configuration transfer-on-commit",
            'set system archival configuration archive-sites "scp://<user>@<backup-server>/<path>" password <password>',
        ),
        "login_lockout": (
            "set system login retry-options tries-before-disconnect {attempts}",
            "set system login retry-options lockout-period {lock_minutes}",
        ),
        # A configured class; a predefined one cannot take idle-timeout (fix() gives a new class).
        "idle_timeout": ("set system login class {context} idle-timeout {minutes}",),
        "ntp_server": ("set system ntp server <ntp-server>",),
        "ntp_enable": ("set system ntp server <ntp-server>",),
        "ntp_authenticate": (
            "set system ntp authentication-key 1 type md5 value <ntp-key>",
            "set system ntp trusted-key 1",
            "set system ntp server {server} key 1",
        ),
        "log_timestamps": ("set system syslog time-format year",),
        "ssh_v2_only": (
            "delete system services ssh protocol-version v1",
            "set system services ssh protocol-version v2",
        ),
        "log_config_changes": (
            "set system syslog file config-changes change-log info",
            "set system syslog file interactive-commands interactive-commands any",
        ),
        # The routing engine's management ports (those access.management_acl judges: FTP, SSH,
        # Telnet, HTTP(S), NETCONF, the Junos XML protocol, SNMP) from the management prefix
        # only; everything else the filter leaves as it was. One value a line, as `display set`
        # prints it. IPv6 (management_acl_inet6) is guarded by a filter of its own family.
        "management_acl": _protect_re("inet", "PROTECT-RE", "protocol", "<mgmt-prefix>"),
        "management_acl_inet6": _protect_re("inet6", "PROTECT-RE6", "next-header", "<mgmt-prefix-v6>"),
        # A term that accepts management traffic from anywhere keeps its services, from the management prefix only.
        "management_acl_narrow_filter": (
            "set firewall family {family} filter {name} term {label} from source-address <mgmt-prefix>",
        ),
        "management_acl_narrow_filter_inet6": (
            "set firewall family inet6 filter {name} term {label} from source-address <mgmt-prefix-v6>",
        ),
        "management_acl_snmp": (
            "set snmp community <community> clients <nms-prefix>",
            "set snmp community <community> clients 0.0.0.0/0 restrict",
        ),
    }

    @classmethod
    def detect(cls, text: str) -> int:
        head = text[:200000]
        braces = "{" in head and is_brace_form(head)
        if not braces and not (head.startswith("set ") or "\nset " in head):
            return 0
        markers = _JUNOS_BRACE_MARKERS if braces else _JUNOS_SET_MARKERS
        score = marker_score(head, markers)
        if _VYOS_MARKERS.search(head):
            return max(score - 6, 0)
        if score == 0 and syntax_family(head) == "junos":
            return 1
        return score

    def fix(self, key: str, **params: object) -> tuple[str, ...]:
        if key in ("management_acl", "management_acl_narrow_filter") and params.get("family") == "inet6":
            key = f"{key}_inet6"
        if key in ("hash_user_password", "set_user_password") and params.get("user") == "root":
            key = "hash_root_password"
        if key == "idle_timeout" and params.get("context") in PREDEFINED_CLASSES:
            return _timed_class(str(params["context"]), params.get("minutes"), params.get("users"))
        return super().fix(key, **params)

    def config_view(self, tree: ConfigTree, text: str, ev: EvidenceMaker) -> ConfigView:
        """Statements in effect, each matched as a set line and as a path (``_junos_view``)."""

        def build() -> JunosSection:
            statements = [(path, written, line.lineno, line.raw) for path, written, line in self._effective(tree)]
            return JunosSection.root(statements, ev)

        return ConfigView(build, self.commands.config, self.config_truncation(text))

    def config_truncation(self, text: str) -> str | None:
        """A brace-form text with blocks never closed was cut off; set lines have no end to check."""
        if not is_brace_form(text):
            return None
        unclosed = unclosed_blocks(text)
        if not unclosed:
            return None
        return f"{unclosed} block(s) opened with '{{' are never closed: the configuration may be cut off"

    def config_tree(self, text: str, backend: Backend = "native") -> ConfigTree:
        """Set lines are flat, so both tree backends give the same tree: it is built from the numbered lines."""
        return ConfigTree.from_lines(to_set_lines(text), self.comment)

    # ---- config ---------------------------------------------------------------------

    def parse_config(self, tree: ConfigTree, facts: Facts, ev: EvidenceMaker) -> None:
        found = _Statements()
        interfaces = JunosInterfaces()
        baseline = JunosBaseline()
        filters = JunosAccess()
        for path, original, line in self._effective(tree):
            head = path[0]
            baseline.add(path, line)
            if head in ("interfaces", "routing-instances"):
                interfaces.add(path, line, lambda at: self.line_evidence(ev, at))
            elif head in ACL_HEADS:
                filters.add(path, line)
            elif head == "version" and len(path) > 1:
                facts.version = facts.version or _unquote(path[1])
            elif head == "system" and len(path) > 2:
                self._system(path, original, line, facts, found, ev)
            elif head == "snmp" and len(path) > 2 and path[1] == "community":
                name = _unquote(path[2])
                access = found.communities.get(name, (line, "ro"))
                if path[3:5] == ["authorization", "read-write"]:
                    access = (line, "rw")
                elif path[3:4] == ["authorization"]:
                    access = (line, access[1])
                found.communities[name] = access
        for name, (line, context) in found.services.items():
            facts.services.append(
                Service(name, True, self.line_evidence(ev, line), detail=_statement(line), context=context)
            )
        for community, (line, access) in found.communities.items():
            facts.snmp_communities.append(
                SnmpCommunity(
                    value=Secret(community),
                    access=access,  # type: ignore[arg-type]
                    storage="clear",
                    evidence=self.line_evidence(ev, line),
                )
            )
        for address, line in found.log_hosts.items():
            facts.log_hosts.append(LogHost(address, self.line_evidence(ev, line)))
        for name, user in found.users.items():
            user.admin = user.admin or user.login_class in found.admin_classes
            account = self._account(name, user, facts, ev)
            if account is not None:
                facts.accounts.append(account)
        facts.interfaces = interfaces.interfaces()
        users = {name: (user.login_class, user.line) for name, user in found.users.items()}
        baseline.finish(facts, users, lambda at: self.line_evidence(ev, at))
        facts.access = filters.finish(facts, ev)

    def _effective(self, tree: ConfigTree) -> list[tuple[list[str], list[str], Line]]:
        """(path, path as written, line) of every statement in effect.

        A group's statements count where the group is applied: ``apply-groups G`` at the
        top applies all of them, ``system apply-groups G`` those under ``system`` (group
        paths may hold ``<pattern>`` wildcards), and ``apply-groups-except G`` below stops
        the inheritance again. The ``groups NAME`` prefix is taken off their path.
        Deactivated statements do not count.
        """
        statements: list[tuple[list[str], list[str], Line]] = []
        deactivated: list[list[str]] = []
        applied: dict[str, list[list[str]]] = {}
        excepted: dict[str, list[list[str]]] = {}
        for line in tree.roots():
            words = split_words(line.text)
            if len(words) < 2:
                continue
            verb, path = words[0], words[1:]
            if verb == "set":
                statements.append((path, path, line))
            elif verb == "deactivate":
                deactivated.append(path)
        active = [s for s in statements if not any(s[0][: len(d)] == d for d in deactivated)]
        for path, _, _ in active:
            for keyword, table in (("apply-groups", applied), ("apply-groups-except", excepted)):
                if keyword in path and path[0] != "groups":
                    position = path.index(keyword)
                    for group in path[position + 1 :]:
                        table.setdefault(_unquote(group), []).append(path[:position])
        effective = []
        for original, path, line in active:
            if path[0] == "groups":
                if len(path) < 3:
                    continue
                group, path = _unquote(path[1]), path[2:]
                inherited = any(_under(path, prefix) for prefix in applied.get(group, ()))
                if not inherited or any(_under(path, prefix) for prefix in excepted.get(group, ())):
                    continue
            effective.append((path, original, line))
        return effective

    def _system(
        self, path: list[str], original: list[str], line: Line, facts: Facts, found: _Statements, ev: EvidenceMaker
    ) -> None:
        key = path[1]
        prefix = len(original) - len(path)
        if key == "host-name":
            facts.hostname = _unquote(path[2])
        elif key == "services":
            service = path[2]
            if service in _SERVICES:
                found.services.setdefault(_SERVICES[service], (line, " ".join(original[: prefix + 3])))
            elif service == "web-management" and len(path) > 3 and path[3] in ("http", "https"):
                found.services.setdefault(path[3], (line, " ".join(original[: prefix + 3])))
        elif key == "root-authentication":
            user = found.users.setdefault("root", _User(line, admin=True))
            _password(user, path[2:], line)
        elif key == "login" and path[2] == "user" and len(path) > 4:
            user = found.users.setdefault(_unquote(path[3]), _User(line))
            if path[4] == "class" and len(path) > 5:
                user.login_class = _unquote(path[5])
            elif path[4] == "authentication":
                _password(user, path[5:], line)
        elif key == "login" and path[2] == "class" and len(path) > 5 and path[4] == "permissions":
            if "all" in (_unquote(w) for w in path[5:]):
                found.admin_classes.add(_unquote(path[3]))
        elif key == "login" and path[2] == "password" and len(path) > 4 and path[3] == "minimum-length":
            if path[4].isdigit():
                facts.password_policy = PasswordPolicy(
                    min_length=int(path[4]), max_age_days=None, evidence=(self.line_evidence(ev, line),)
                )
        elif key == "syslog" and path[2] == "host" and len(path) > 3:
            found.log_hosts.setdefault(_unquote(path[3]), line)
        elif key == "archival" and "archive-sites" in path and path.index("archive-sites") + 1 < len(path):
            facts.archives.append(
                ConfigArchive(
                    target=_masked_url(_unquote(path[path.index("archive-sites") + 1])),
                    evidence=self.line_evidence(ev, line),
                )
            )

    def _account(self, name: str, user: _User, facts: Facts, ev: EvidenceMaker) -> LocalAccount | None:
        if user.password is None:
            return None
        line, keyword, value = user.password
        secret = Secret(value)
        evidence = self.line_evidence(ev, line)
        if keyword == "plain-text-password-value":
            return LocalAccount(name, "user", user.admin, "plaintext", "plain-text-password-value", evidence, secret)
        if keyword == "plain-text-password":
            facts.notes.append(
                f"line {line.lineno}: 'plain-text-password' for {name} is a prompt remnant, no password is stored"
            )
            return None
        return LocalAccount(
            name=name,
            kind="user",
            admin=user.admin,
            storage="hash",
            scheme=crypt_scheme(value),
            evidence=evidence,
        )

    # ---- show outputs ---------------------------------------------------------------

    def parse_version(self, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        rows = self.show_rows(self.commands.version, text)
        if not rows:
            return
        row = rows[0]
        facts.hostname = facts.hostname or row.get("hostname") or None
        facts.model = row.get("model") or None
        facts.version = (row.get("junos_version") or "").strip() or None

    def parse_power(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        if command == "show chassis hardware":
            self._power_inventory(command, text, facts, ev)
            return
        supplies = parse_pem_status(text, ev)
        if not supplies:
            raise ShowParseError(f"{command}: no PEM or power supply status recognised")
        facts.power_supplies.extend(supplies)

    def _power_inventory(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        """PEM / Power Supply rows of ``show chassis hardware``: presence only."""
        start = 1
        for row in self.show_rows(command, text):
            number = row.get("ps_number", "")
            if number == "" or not row.get("ps_part"):
                continue
            lineno, line = locate(text, row.get("ps_part", ""), row.get("ps_serial_number", ""), start=start)
            start = lineno + 1 if lineno else start
            label = "PEM" if line.strip().startswith("PEM") else "Power Supply"
            facts.power_supplies.append(
                PowerSupply(
                    name=f"{label} {number}",
                    status="unknown",
                    evidence=ev(lineno, line),
                    detail=row.get("ps_description", ""),
                )
            )

    def parse_neighbors(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        start = 1
        for row in self.show_rows(command, text):
            local = row.get("local_interface", "")
            number, line = locate(text, local, row.get("chassis_id", ""), start=start)
            start = number + 1 if number else start
            facts.neighbors.append(
                Neighbor(
                    protocol="lldp",
                    local_interface=local,
                    remote_name=row.get("neighbor_name") or row.get("chassis_id") or "",
                    remote_interface=row.get("neighbor_interface") or None,
                    evidence=ev(number, line),
                )
            )


def _timed_class(predefined: str, minutes: object, users: object) -> tuple[str, ...]:
    """A predefined class takes no idle-timeout: the fix is a class of the same permissions that has one."""
    name = f"{predefined}-idle"
    lines = [
        f"set system login class {name} permissions [ {PREDEFINED_CLASSES[predefined]} ]",
        f"set system login class {name} idle-timeout {minutes}",
    ]
    lines.extend(f"set system login user {user} class {name}" for user in users or () if isinstance(users, tuple))
    return tuple(lines)


def _unquote(word: str) -> str:
    return word[1:-1] if len(word) >= 2 and word[0] == word[-1] == '"' else word


def _under(path: list[str], prefix: list[str]) -> bool:
    """Whether a group statement's ``path`` lies under the hierarchy ``prefix`` (``<ge-*>`` wildcards match)."""
    if len(path) < len(prefix):
        return False
    for word, level in zip(path, prefix, strict=False):
        pattern = _unquote(word)
        if pattern.startswith("<") and pattern.endswith(">"):
            if not fnmatch.fnmatchcase(_unquote(level), pattern[1:-1]):
                return False
        elif pattern != _unquote(level):
            return False
    return True


def _statement(line: Line) -> str:
    return line.text.split(" ", 1)[1] if " " in line.text else line.text


def _password(user: _User, words: list[str], line: Line) -> None:
    if not words:
        return
    keyword = words[0]
    if keyword in ("encrypted-password", "plain-text-password-value") and len(words) > 1:
        user.password = (line, keyword, _unquote(words[1]))
    elif keyword == "plain-text-password" and user.password is None:
        user.password = (line, keyword, "")


def _masked_url(url: str) -> str:
    """An archive site without the password a URL may carry (``ftp://user:PASS@host/``)."""
    match = _URL_PASSWORD.search(url)
    if match is None:
        return url
    secret = Secret(match.group("password"))
    return url[: match.start("password")] + str(secret) + url[match.end("password") :]


# ---- show chassis environment pem --------------------------------------------------------

_PEM_HEADER = re.compile(r"^\s*(?P<name>(?:FPC \d+ )?(?:PEM|Power Supply|PSU) \d+) status:\s*$", re.I)
_PEM_STATE = re.compile(r"^\s+State\s+(?P<state>\S+(?: \S+)?)\s*$")
_PEM_INPUT = re.compile(r"^\s+(?:AC|DC) Input:?\s+(?P<state>\S+)")
_PEM_ROW = re.compile(
    r"^\s*(?:Power\s+)?(?P<name>(?:FPC \d+ )?(?:PEM|Power Supply|PSU) \d+)\s+"
    r"(?P<state>OK|Online|Offline|Absent|Empty|Failed|Check|Present|Testing)\b",
    re.I,
)


def pem_status(state: str) -> PowerStatus:
    value = state.strip().lower()
    if value in ("online", "ok"):
        return "ok"
    if value in ("empty", "absent", "not present"):
        return "absent"
    return "failed"


def parse_pem_status(text: str, ev: EvidenceMaker) -> list[PowerSupply]:
    """``show chassis environment pem`` (``PEM 0 status:`` blocks) or a ``show chassis environment`` table.

    No ntc-templates template exists. A PEM is ok when its State is Online and its
    input, when reported, is OK; ``Present`` means installed but not online.
    """
    supplies: list[PowerSupply] = []
    current: tuple[str, int, str] | None = None
    state: tuple[str, Evidence] | None = None
    failed_input: str | None = None

    def flush() -> None:
        if current is None:
            return
        name, number, header = current
        if state is None:
            supplies.append(PowerSupply(name, "unknown", ev(number, header), "no State line"))
            return
        word, evidence = state
        status = pem_status(word)
        detail = word
        if status == "ok" and failed_input is not None:
            status, detail = "failed", f"{word}, input {failed_input}"
        supplies.append(PowerSupply(name, status, evidence, detail))

    for number, line in enumerate(text.splitlines(), 1):
        header = _PEM_HEADER.match(line)
        if header:
            flush()
            current, state, failed_input = (header.group("name"), number, line), None, None
            continue
        if current is not None:
            match = _PEM_STATE.match(line)
            if match:
                state = (match.group("state"), ev(number, line))
                continue
            match = _PEM_INPUT.match(line)
            if match and match.group("state").upper() != "OK":
                failed_input = match.group("state")
            continue
        row = _PEM_ROW.match(line)
        if row:
            supplies.append(
                PowerSupply(row.group("name"), pem_status(row.group("state")), ev(number, line), row.group("state"))
            )
    flush()
    return supplies
