"""H3C / HPE Comware 5 and 7 (netmiko ``hp_comware``; ntc-templates ``hp_comware``).

TFTP: H3C and HPE Comware configuration guides (S5130/5510 HI, S12500, HSR6800, MSR)
state that the device "can operate only as a TFTP client" (``tftp-server acl`` is the
client's ACL despite its name), so services.tftp is not applicable here.
"""

from __future__ import annotations

import re

from scanner.configtree import ConfigTree, Line
from scanner.facts import (
    ConfigArchive,
    Facts,
    LocalAccount,
    Neighbor,
    PasswordPolicy,
    PowerStatus,
    PowerSupply,
    Service,
)
from scanner.model import Evidence
from scanner.platforms import register
from scanner.platforms._markers import marker_score
from scanner.platforms._vrp import (
    COMWARE_MARKERS,
    HUAWEI_MARKERS,
    VrpPlatform,
    VrpStatements,
    looks_vrp_family,
)
from scanner.platforms._vrp_baseline import VrpDialect
from scanner.platforms._vrp_login import ADMIN_LEVEL, ADMIN_ROLES, TelnetModel, classify_password
from scanner.platforms.base import CommandSet, EvidenceMaker
from scanner.showparse import ShowParseError, locate

# Factory accounts of web-managed Comware switches (V1910, 5130 EI out of the box).
VENDOR_DEFAULTS = {("admin", "admin"), ("admin", "h3capadmin")}
# password-control defaults once it is enabled (Comware 7 security configuration guide).
_DEFAULT_MIN_LENGTH = 10
_DEFAULT_AGING_DAYS = 90
# Server statements, also read after "undo"; "telnet server enable" is read with the VTY lines.
_SERVICES = {
    "ip http enable": "http",
    "ip https enable": "https",
    "ftp server enable": "ftp",
}
# Defaults that differ by major release (the table is in README "Vendor defaults"):
# Comware 5 serves HTTP and telnet out of the box and has VTY 0-15; Comware 7 serves
# neither until enabled and has VTY 0-63. Both accept telnet and SSH on a VTY line
# without `protocol inbound`.
_RELEASE_DEFAULTS = {
    5: {"http": True, "telnet": True, "vty_count": 16, "line_keyword": "user-interface"},
    7: {"http": False, "telnet": False, "vty_count": 64, "line_keyword": "line"},
}
_BOTH_PROTOCOLS = frozenset({"telnet", "ssh"})
_RELEASE_RE = re.compile(r"^\s*(?:version\s+)?(\d+)\.\d+")


def comware_release(version: str | None) -> int | None:
    """5 or 7 (9 counts as 7: same defaults) from ``7.1.070, Release 6328P03``; None when unknown."""
    match = _RELEASE_RE.match(version or "")
    if match is None:
        return None
    major = int(match.group(1))
    return 7 if major >= 7 else major if major in _RELEASE_DEFAULTS else None


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
class HPComware(VrpPlatform):
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
        arp=("display arp",),
    )
    comment = "#"
    syntax = "vrp"
    session_setup = ("screen-length disable",)
    serves_tftp = False
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
        # Comware 7 keeps a super password entered with `simple` as a hash, as it does a user's.
        "hash_enable_password": ("super password role network-admin simple <new-password>",),
        "line_password": ("{context}", " authentication-mode scheme", " undo set authentication password"),
        "password_policy": ("password-control enable", "password-control length 10", "password-control aging 90"),
        "add_syslog_host": ("info-center enable", "info-center loghost <syslog-server>"),
        "login_lockout": (
            "password-control enable",
            "password-control login-attempt {attempts} exceed lock-time {lock_minutes}",
        ),
        "idle_timeout": ("{context}", " idle-timeout {minutes} 0"),
        # Comware 5 has no "ntp-service enable" (fix() leaves it out there).
        "ntp_server": ("ntp-service enable", "ntp-service unicast-server <ntp-server>"),
        "ntp_enable": ("ntp-service enable",),
        "ntp_authenticate": (
            "ntp-service authentication enable",
            "ntp-service authentication-keyid 1 authentication-mode md5 simple <ntp-key>",
            "ntp-service reliable authentication-keyid 1",
            "ntp-service unicast-server {server} authentication-keyid 1",
        ),
        "log_timestamps": ("{context} date",),
        "ssh_v2_only": ("undo ssh server compatible-ssh1x",),
        "log_config_changes": (
            "info-center enable",
            "undo info-center source SHELL logbuffer",
            "undo info-center source SHELL loghost",
        ),
        # Comware 7 restricts SSH and telnet logins globally (fix() gives "ssh server acl" there).
        "management_acl": (
            "acl number 2999",
            " rule 5 permit source <mgmt-subnet> <wildcard>",
            " rule 100 deny",
            "{context}",
            " acl 2999 inbound",
        ),
        "management_acl_snmp": (
            "acl number 2998",
            " rule 5 permit source <nms-subnet> <wildcard>",
            "snmp-agent community read <community> acl 2998",
        ),
        "management_acl_http": (
            "acl number 2999",
            " rule 5 permit source <mgmt-subnet> <wildcard>",
            "{context} 2999",
        ),
        "management_acl_permit_basic": (" rule 5 permit source <mgmt-subnet> <wildcard>",),
        "management_acl_permit_advanced": (
            " rule 5 permit tcp source <mgmt-subnet> <wildcard> destination-port eq 22",
        ),
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

    service_statements = _SERVICES
    hier_config = "HP_COMWARE5"
    default_vty = "line vty 0 63"

    # ---- config ---------------------------------------------------------------------

    def config_statement(self, first: str, line: Line, facts: Facts, ev: EvidenceMaker, found: VrpStatements) -> None:
        text = line.text
        if first == "local-user":
            account = self._account(line, ev)
            if account is not None:
                facts.accounts.append(account)
        elif first == "password-control" or text.startswith("undo password-control "):
            found.extra[text] = line
        elif first == "archive" and text.startswith("archive configuration location "):
            target = text.split()[3]
            facts.archives.append(ConfigArchive(target=target, evidence=self.line_evidence(ev, line)))

    def finish_config(self, facts: Facts, ev: EvidenceMaker, found: VrpStatements) -> None:
        if found.version is not None and facts.version is None:
            facts.version = rest_after_version(found.version.text)
        if found.extra:
            facts.password_policy = self._password_policy(found.extra, ev)

    def _release(self, facts: Facts, anchor: Evidence | None) -> tuple[int, str]:
        """The release whose defaults apply, and how it is named in messages."""
        release = comware_release(facts.version) or comware_release(anchor.text if anchor else None)
        if release is None:
            return 5, "Comware (release unknown, Comware 5 defaults assumed)"
        return release, f"Comware {release}"

    def telnet_model(self, facts: Facts, anchor: Evidence | None) -> TelnetModel:
        release, source = self._release(facts, anchor)
        defaults = _RELEASE_DEFAULTS[release]
        return TelnetModel(
            source=source,
            server_default=bool(defaults["telnet"]),
            inbound_default=_BOTH_PROTOCOLS,
            vty_count=int(defaults["vty_count"]),
            anchor=anchor,
            line_keyword=str(defaults["line_keyword"]),
        )

    def fix(self, key: str, **params: object) -> tuple[str, ...]:
        lines = super().fix(key, **params)
        release = comware_release(str(params.get("version") or ""))
        if key == "ntp_server" and release == 5:
            return tuple(line for line in lines if line != "ntp-service enable")
        if release == 7 and key.startswith("management_acl"):
            # Comware 7 names basic lists "acl basic N" and restricts logins with "ssh server acl N".
            lines = tuple(line.replace("acl number ", "acl basic ") for line in lines)
            if key == "management_acl":
                return (*lines[:3], "ssh server acl 2999")
        return lines

    def baseline_dialect(self, facts: Facts, tree: ConfigTree, anchor: Evidence | None) -> VrpDialect:
        """Comware 5 accepts SSH version 1 by default and runs NTP once a server is set; Comware 7
        refuses SSH version 1 and runs NTP only after ``ntp-service enable``."""
        release, source = self._release(facts, anchor)
        return VrpDialect("h3c", source, ssh1_default=release == 5, ntp_needs_enable=release == 7, anchor=anchor)

    def default_services(self, facts: Facts, configured: set[str], anchor: Evidence | None) -> list[Service]:
        """Comware 5 serves HTTP unless `undo ip http enable`; Comware 7 serves nothing unless enabled."""
        if "http" in configured:
            return []
        release, source = self._release(facts, anchor)
        enabled = bool(_RELEASE_DEFAULTS[release]["http"])
        note = f"{source} default: HTTP service {'enabled' if enabled else 'disabled'}"
        return [Service("http", enabled, anchor, note, default=note)]

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
                if "user-role" in attribute and attribute[-1] in ADMIN_ROLES:
                    admin = True
                elif "level" in attribute and attribute[-1].isdigit():
                    admin = admin or int(attribute[-1]) >= ADMIN_LEVEL
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
        keyword, value = (parts[1], parts[2]) if len(parts) >= 3 else ("simple", parts[-1])
        storage, scheme, recovered = classify_password(keyword, value)
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


def rest_after_version(text: str) -> str | None:
    """``version 7.1.070, Release 6328P03`` -> ``7.1.070, Release 6328P03``."""
    parts = text.split(None, 1)
    return parts[1] if len(parts) > 1 else None
