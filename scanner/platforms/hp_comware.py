"""H3C / HPE Comware 5 and 7 (netmiko ``hp_comware``; ntc-templates ``hp_comware``).

TFTP: H3C and HPE Comware configuration guides (S5130/5510 HI, S12500, HSR6800, MSR)
state that the device "can operate only as a TFTP client" (``tftp-server acl`` is the
client's ACL despite its name), so services.tftp is not applicable here.
"""

from __future__ import annotations

import re

from scanner.configtree import ConfigTree, Line
from scanner.configview import ConfigView
from scanner.facts import (
    ConfigArchive,
    Facts,
    LocalAccount,
    Neighbor,
    PasswordPolicy,
    PowerStatus,
    PowerSupply,
    SecretStorage,
    Service,
)
from scanner.masking import Secret
from scanner.model import Evidence
from scanner.platforms import register
from scanner.platforms._acl.vrp import read_vrp_access
from scanner.platforms._interfaces import vrp_interfaces
from scanner.platforms._markers import marker_score
from scanner.platforms._vrp import (
    CIPHER_TEXT,
    COMWARE_MARKERS,
    HUAWEI_MARKERS,
    add_loghost,
    config_roots,
    disable_logging,
    flatten_sections,
    looks_vrp_family,
    parse_community,
    rest_after,
    vrp_config_view,
)
from scanner.platforms.base import CommandSet, EvidenceMaker, Platform
from scanner.showparse import ShowParseError, locate

# Factory accounts of web-managed Comware switches (V1910, 5130 EI out of the box).
VENDOR_DEFAULTS = {("admin", "admin"), ("admin", "h3capadmin")}
_ADMIN_ROLES = {"network-admin", "level-15", "mdc-admin", "context-admin"}
_COMWARE5_ADMIN_LEVEL = 3
# password-control defaults once it is enabled (Comware 7 security configuration guide).
_DEFAULT_MIN_LENGTH = 10
_DEFAULT_AGING_DAYS = 90
_SERVICES = {
    "ip http enable": "http",
    "ip https enable": "https",
    "ftp server enable": "ftp",
    "telnet server enable": "telnet",
}
# Interface abbreviations of Comware's `display lldp neighbor-information list`.
_ABBREVIATIONS = (
    ("XGE", "Ten-GigabitEthernet"),
    ("FGE", "FortyGigE"),
    ("HGE", "HundredGigE"),
    ("WGE", "Twenty-FiveGigE"),
    ("MGE", "M-GigabitEthernet"),
    ("BAGG", "Bridge-Aggregation"),
    ("RAGG", "Route-Aggregation"),
    ("GE", "GigabitEthernet"),
)


def expand_interface(name: str) -> str:
    """``GE1/0/49`` -> ``GigabitEthernet1/0/49``; full names are kept."""
    for short, full in _ABBREVIATIONS:
        if name.startswith(short) and name[len(short) : len(short) + 1].isdigit():
            return full + name[len(short) :]
    return name


@register
class HPComware(Platform):
    name = "hp_comware"
    display_name = "H3C Comware"
    vendor = "h3c"
    aliases = ("h3c", "h3c_comware", "hp_comware_telnet")
    ntc_platform = "hp_comware"
    commands = CommandSet(
        version="display version",
        config="display current-configuration",
        power=("display power", "display power-supply"),
        neighbors=("display lldp neighbor-information list",),
    )
    comment = "#"
    session_setup = ("screen-length disable",)
    config_end = "return"
    negation = "undo "
    serves_tftp = False
    hier_config = "HP_COMWARE5"
    config_mode = ("system-view", "return")
    cli_prompt = "<{hostname}>"
    cli_rejection = "% Unrecognized command found at '^' position."
    acl_dialect = "h3c"
    fixes = {
        "disable_http": ("undo ip http enable", "undo ip https enable"),
        "disable_ftp": ("undo ftp server enable",),
        "disable_telnet": ("undo telnet server enable",),
        "remove_snmp_community": ("undo snmp-agent community {community}",),
        "readonly_snmp_community": (
            "undo snmp-agent community {community}",
            "snmp-agent community read simple <new-strong-community> acl <mgmt-acl>",
        ),
        # Comware 7 keeps a password entered with `simple` as a one-way hash ($h$6$); a local
        # user without a class is a device-management (class manage) user.
        "hash_user_password": ("local-user {user}", " password simple <new-password>"),
        "set_user_password": ("local-user {user}", " password simple <new-password>"),
        "password_policy": ("password-control enable", "password-control length 10", "password-control aging 90"),
        "add_syslog_host": ("info-center enable", "info-center loghost <syslog-server>"),
        "archive_config": (
            "archive configuration location flash:/archive filename-prefix archive",
            "archive configuration max 10",
            "archive configuration interval 1440",
        ),
    }

    @classmethod
    def detect(cls, text: str) -> int:
        if not looks_vrp_family(text):
            return 0
        return max(marker_score(text, COMWARE_MARKERS) - marker_score(text, HUAWEI_MARKERS), 0)

    def prepare_config(self, text: str) -> str:
        return flatten_sections(text)

    def config_view(self, tree: ConfigTree, text: str, ev: EvidenceMaker) -> ConfigView:
        return vrp_config_view(self, tree, text, ev)

    # ---- config ---------------------------------------------------------------------

    def parse_config(self, tree: ConfigTree, facts: Facts, ev: EvidenceMaker) -> None:
        control: dict[str, Line] = {}
        logging_off: Line | None = None
        facts.interfaces = vrp_interfaces(tree, lambda line: self.line_evidence(ev, line))
        for line in config_roots(tree):
            text = line.text
            first = text.split(" ", 1)[0]
            if first == "sysname":
                facts.hostname = rest_after(text, 1) or None
            elif first == "version":
                facts.version = facts.version or rest_after(text, 1) or None
            elif first == "local-user":
                account = self._account(line, ev)
                if account is not None:
                    facts.accounts.append(account)
            elif first == "snmp-agent":
                community = parse_community(line, ev)
                if community is not None:
                    facts.snmp_communities.append(community)
            elif first == "info-center":
                add_loghost(line, facts, ev)
            elif first == "password-control" or text.startswith("undo password-control "):
                control[text] = line
            elif first == "undo":
                if text == "undo info-center enable":
                    logging_off = line
                else:
                    self._service(line, text[5:], False, facts, ev)
            elif first in ("ip", "ftp", "telnet"):
                self._service(line, text, True, facts, ev)
            elif first == "archive" and text.startswith("archive configuration location "):
                target = text.split()[3]
                facts.archives.append(ConfigArchive(target=target, evidence=self.line_evidence(ev, line)))
        if control:
            facts.password_policy = self._password_policy(control, ev)
        if logging_off is not None:
            disable_logging(facts, logging_off, ev)
        facts.access = read_vrp_access(tree, facts, ev, "h3c")

    def _service(self, line: Line, statement: str, enabled: bool, facts: Facts, ev: EvidenceMaker) -> None:
        name = _SERVICES.get(statement)
        if name is not None:
            facts.services.append(Service(name, enabled, self.line_evidence(ev, line), detail=line.text))

    def _account(self, block: Line, ev: EvidenceMaker) -> LocalAccount | None:
        """``local-user NAME [class manage|network]`` and its ``password {simple|cipher|hash} VALUE`` child."""
        words = block.text.split()
        if len(words) < 2:
            return None
        user = words[1]
        network_only = "class" in words and words[-1] == "network"
        admin = False
        password: Line | None = None
        for child in block.children:
            text = child.text
            if text.startswith("password "):
                password = child
            elif text.startswith("authorization-attribute "):
                attribute = text.split()
                if "user-role" in attribute and attribute[-1] in _ADMIN_ROLES:
                    admin = True
                elif "level" in attribute and attribute[-1].isdigit():
                    admin = admin or int(attribute[-1]) >= _COMWARE5_ADMIN_LEVEL
        if password is None:
            if network_only:
                return None
            return LocalAccount(
                name=user,
                kind="user",
                admin=admin,
                storage="none",
                scheme="no password",
                evidence=self.line_evidence(ev, block),
            )
        parts = password.text.split()
        kind, value = (parts[1], parts[2]) if len(parts) >= 3 else ("simple", parts[-1])
        secret = Secret(value)
        recovered = None
        storage: SecretStorage
        if kind == "hash":
            storage, scheme = "hash", "hash (sha512)" if value.startswith("$h$6$") else "hash"
        elif kind == "cipher" or CIPHER_TEXT.match(value):
            storage, scheme = "reversible", "cipher"
        else:
            storage, scheme, recovered = "plaintext", "simple", secret
        return LocalAccount(
            name=user,
            kind="user",
            admin=admin,
            storage=storage,
            scheme=scheme,
            evidence=self.line_evidence(ev, password),
            recovered=recovered,
            vendor_default=recovered is not None and (user.lower(), value.lower()) in VENDOR_DEFAULTS,
        )

    def _password_policy(self, control: dict[str, Line], ev: EvidenceMaker) -> PasswordPolicy | None:
        """``password-control enable`` with its ``length`` and ``aging``; without the enable they do nothing."""
        enabled = control.get("password-control enable")
        if enabled is None:
            return None
        evidence: list[Evidence] = [self.line_evidence(ev, enabled)]
        min_length: int | None = _DEFAULT_MIN_LENGTH
        max_age: int | None = _DEFAULT_AGING_DAYS
        for text, line in control.items():
            words = text.split()
            if words[:2] == ["password-control", "length"] and len(words) > 2 and words[2].isdigit():
                min_length = int(words[2])
                evidence.append(self.line_evidence(ev, line))
            elif words[:2] == ["password-control", "aging"] and len(words) > 2 and words[2].isdigit():
                max_age = int(words[2])
                evidence.append(self.line_evidence(ev, line))
            elif text == "undo password-control aging enable":
                max_age = 0
                evidence.append(self.line_evidence(ev, line))
            elif text == "undo password-control length enable":
                min_length = None
                evidence.append(self.line_evidence(ev, line))
        return PasswordPolicy(min_length=min_length, max_age_days=max_age, evidence=tuple(evidence))

    # ---- show outputs ---------------------------------------------------------------

    def parse_version(self, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        version = _VERSION_RE.search(text)
        if version:
            facts.version = version.group(1).strip()
        model = _MODEL_RE.search(text) or _BOARD_RE.search(text)
        if model:
            facts.model = model.group(1)

    def parse_power(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        supplies = parse_power_table(text, ev)
        if not supplies:
            raise ShowParseError(f"{command}: no power supply rows recognised")
        known = {s.name for s in facts.power_supplies}
        facts.power_supplies.extend(s for s in supplies if s.name not in known)

    def parse_neighbors(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        start = 1
        for row in self.show_rows(command, text):
            local = row.get("local_interface", "")
            name = row.get("neighbor_name", "")
            number, line = locate(text, local, start=start)
            start = number + 1 if number else start
            facts.neighbors.append(
                Neighbor(
                    protocol="lldp",
                    local_interface=expand_interface(local),
                    remote_name=name if name not in ("", "-") else row.get("chassis_id", ""),
                    remote_interface=row.get("neighbor_interface") or None,
                    evidence=ev(number, line),
                )
            )


_VERSION_RE = re.compile(r"Comware (?:Software|Platform Software)?,?\s*Version\s+(\S+,\s*(?:Release|ESS)\s+\S+)")
_MODEL_RE = re.compile(r"^(?:H3C|HPE|HP|New H3C)[ \t]+(\S+)(?:[ \t]+\S+)*?[ \t]+uptime is", re.M)
_BOARD_RE = re.compile(r"^BOARD TYPE:\s+(\S+)", re.M)

# ---- display power / display power-supply ------------------------------------------------

_SLOT_RE = re.compile(r"^\s*(?:Slot|Unit|Chassis|Member)\s+(\d+)(?:\s+Slot\s+(\d+))?\s*:?\s*$", re.I)
_ROW_RE = re.compile(
    r"^\s*(?:PSU|PWR|Power(?:\s*Supply)?)?\s*(?P<id>\d+)\s+(?P<state>Normal|Absent|Fault|Faulty|Abnormal|Failed"
    r"|Not[- ]?present|Off|Offline|Present|OK|Empty|Shutdown|Unknown)\b",
    re.I,
)
_UNIT_RE = re.compile(r"^\s*Power(?:\s*Supply)?\s+(?P<id>\d+)\s*:?\s*(?:State\s*:\s*(?P<state>\S+))?\s*$", re.I)
_STATE_RE = re.compile(r"^\s*(?:State|Status)\s*:\s*(?P<state>\S+(?:\s+present)?)", re.I)


def comware_power_status(word: str) -> PowerStatus:
    value = word.strip().lower().replace("-", " ")
    if value in ("normal", "ok", "present"):
        return "ok"
    if value in ("absent", "not present", "notpresent", "empty"):
        return "absent"
    if value == "unknown":
        return "unknown"
    return "failed"


def parse_power_table(text: str, ev: EvidenceMaker) -> list[PowerSupply]:
    """Power supplies of ``display power`` / ``display power-supply``, Comware 5 and 7.

    Comware 7 prints a table per slot (``PowerID State Mode ...`` then ``1  Normal  AC``);
    Comware 5 prints ``Power 1`` followed by ``State : Normal``. No ntc-templates
    template exists for either.
    """
    supplies: list[PowerSupply] = []
    slot: str | None = None
    pending: str | None = None
    table = False
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _SLOT_RE.match(line)
        if match:
            slot = match.group(2) or match.group(1)
            table = False
            continue
        if re.search(r"\b(State|Status)\b", line) and not re.search(r":\s*\S", line):
            table = True
            continue
        match = _UNIT_RE.match(line)
        if match:
            if match.group("state"):
                supplies.append(_supply(slot, match.group("id"), match.group("state"), ev(number, line)))
            else:
                pending = match.group("id")
            continue
        match = _STATE_RE.match(line)
        if match and pending is not None:
            supplies.append(_supply(slot, pending, match.group("state"), ev(number, line)))
            pending = None
            continue
        match = _ROW_RE.match(line)
        if match and table:
            supplies.append(_supply(slot, match.group("id"), match.group("state"), ev(number, line)))
    return supplies


def _supply(slot: str | None, identifier: str, state: str, evidence: Evidence) -> PowerSupply:
    name = f"Slot {slot} PSU {identifier}" if slot else f"PSU {identifier}"
    return PowerSupply(name=name, status=comware_power_status(state), evidence=evidence, detail=state)
