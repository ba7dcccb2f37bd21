"""Huawei VRP: S/CE switches, AR/NE routers (netmiko ``huawei``, ``huawei_vrpv8``; ntc-templates ``huawei_vrp``).

TFTP: Huawei's S-series configuration guides say the switch "can function only as a
client" in TFTP mode, but the platform also covers AR routers, which configure a TFTP
server with ``tftp-server enable``. services.tftp therefore reads that statement
rather than calling every VRP device unable to serve TFTP.
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
    PowerSupply,
)
from scanner.masking import REDACTOR
from scanner.model import Evidence
from scanner.platforms import register
from scanner.platforms._markers import marker_score
from scanner.platforms._syntax import could_be_vrp, syntax_family
from scanner.platforms._vrp import (
    COMWARE_MARKERS,
    HUAWEI_MARKERS,
    VrpPlatform,
    VrpStatements,
    device_power_status,
    looks_vrp_family,
)
from scanner.platforms._vrp_baseline import VrpDialect
from scanner.platforms._vrp_login import ADMIN_LEVEL, classify_password
from scanner.platforms.base import CommandSet, EvidenceMaker
from scanner.showparse import locate

# V200R019C10SPC500: the release train (V200) and release (R019).
_RELEASE = re.compile(r"\bV(\d{3})R(\d{3})")


def huawei_release(text: str | None) -> str | None:
    """``V200R019`` from a product version (``S5720 V200R019C10SPC500``), or None."""
    match = _RELEASE.search(text or "")
    return f"V{match.group(1)}R{match.group(2)}" if match else None


# The default account of S-series switches (web and console) documented by Huawei.
VENDOR_DEFAULTS = {("admin", "admin@huawei.com")}
# Server statements, also read after "undo". Telnet over IPv4 is read with the VTY lines.
_SERVICES = {
    "http server enable": "http",
    "http secure-server enable": "https",
    "ftp server enable": "ftp",
    "ftp ipv6 server enable": "ftp",
    "tftp-server enable": "tftp",
    "telnet ipv6 server enable": "telnet",
}


@register
class HuaweiVRP(VrpPlatform):
    name = "huawei"
    display_name = "Huawei VRP"
    vendor = "huawei"
    aliases = ("huawei_vrpv8", "huawei_vrp")
    ntc_platform = "huawei_vrp"
    commands = CommandSet(
        version="display version",
        config="display current-configuration",
        power=("display device",),
        neighbors=("display lldp neighbor",),
        arp=("display arp",),
    )
    comment = "#!"
    syntax = "vrp"
    session_setup = ("screen-length 0 temporary",)
    cli_rejection = "Error: Unrecognized command found at '^' position."
    volatile = (r"^!Last configuration was (?:updated|saved) at ",)
    acl_dialect = "huawei"
    fixes = {
        "disable_http": ("undo http server enable", "undo http secure-server enable"),
        "disable_ftp": ("undo ftp server enable",),
        "disable_tftp": ("undo tftp-server enable",),
        "disable_telnet": ("undo telnet server enable", "{context}", " protocol inbound ssh"),
        "remove_snmp_community": ("undo snmp-agent community {community}",),
        "readonly_snmp_community": (
            "undo snmp-agent community {community}",
            "snmp-agent community read cipher <new-strong-community> acl <mgmt-acl>",
        ),
        "hash_user_password": ("aaa", " local-user {user} password irreversible-cipher <new-password>"),
        "hash_enable_password": ("super password level 15 cipher <new-password>",),
        "line_password": ("{context}", " authentication-mode aaa", " undo set authentication password"),
        "set_user_password": ("aaa", " local-user {user} password irreversible-cipher <new-password>"),
        "password_policy": ("aaa", " local-aaa-user password policy administrator", "  password expire 90"),
        "add_syslog_host": ("info-center enable", "info-center loghost <syslog-server>"),
        "login_lockout": (
            "aaa",
            " local-aaa-user wrong-password retry-interval 5 retry-time {attempts} block-time {lock_minutes}",
        ),
        "idle_timeout": ("{context}", " idle-timeout {minutes} 0"),
        "ntp_server": ("ntp-service unicast-server <ntp-server>",),
        "ntp_enable": ("ntp-service enable",),
        "ntp_authenticate": (
            "ntp-service authentication enable",
            "ntp-service authentication-keyid 1 authentication-mode hmac-sha256 cipher <ntp-key>",
            "ntp-service reliable authentication-keyid 1",
            "ntp-service unicast-server {server} authentication-keyid 1",
        ),
        "log_timestamps": ("{context} date",),
        "ssh_v2_only": ("undo ssh server compatible-ssh1x enable",),
        "log_config_changes": (
            "info-center enable",
            "undo info-center filter-id bymodule-alias SHELL CMDRECORD",
            "info-center source SHELL channel loghost log level informational",
        ),
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
            "snmp-agent acl 2998",
        ),
        "management_acl_http": ("acl number 2999", " rule 5 permit source <mgmt-subnet> <wildcard>", "http acl 2999"),
        "management_acl_permit_basic": (" rule 5 permit source <mgmt-subnet> <wildcard>",),
        "management_acl_permit_advanced": (
            " rule 5 permit tcp source <mgmt-subnet> <wildcard> destination-port eq 22",
        ),
        "archive_config": (
            "set save-configuration interval 1440 delay 5",
            "set save-configuration backup-to-server server <backup-server> transport-type sftp user <user> "
            "password <password>",
        ),
    }

    @classmethod
    def detect(cls, text: str) -> int:
        if not looks_vrp_family(text):
            return 1 if could_be_vrp(text) and syntax_family(text) == "vrp" else 0
        return max(1 + marker_score(text, HUAWEI_MARKERS) - marker_score(text, COMWARE_MARKERS), 0)

    service_statements = _SERVICES
    hier_config = "HUAWEI_VRP"

    # ---- config ---------------------------------------------------------------------

    def config_statement(self, first: str, line: Line, facts: Facts, ev: EvidenceMaker, found: VrpStatements) -> None:
        text = line.text
        if first == "aaa":
            self._aaa(line, facts, ev)
        elif first == "set" and text.startswith("set save-configuration"):
            self._save_configuration(line, facts, ev)
        elif first == "configuration" and text.startswith("configuration file auto-save"):
            facts.archives.append(ConfigArchive(target=None, evidence=self.line_evidence(ev, line)))

    def _aaa(self, block: Line, facts: Facts, ev: EvidenceMaker) -> None:
        passwords: dict[str, Line] = {}
        levels: dict[str, int] = {}
        for child in block.children:
            words = child.text.split()
            if len(words) >= 4 and words[0] == "local-user":
                user = words[1]
                if words[2] == "password":
                    passwords[user] = child
                elif words[2:4] == ["privilege", "level"] and len(words) > 4 and words[4].isdigit():
                    levels[user] = int(words[4])
                elif words[2] == "level" and words[3].isdigit():
                    levels[user] = int(words[3])
            elif child.text.startswith("local-aaa-user password policy administrator"):
                self._password_policy(child, facts, ev)
        for user, line in passwords.items():
            account = self._account(user, line, levels.get(user), ev)
            if account is not None:
                facts.accounts.append(account)

    def _account(self, user: str, line: Line, level: int | None, ev: EvidenceMaker) -> LocalAccount | None:
        """``local-user U password {irreversible-cipher|cipher|simple} VALUE``."""
        words = line.text.split()
        if len(words) < 4:
            return None
        if len(words) >= 5 and words[3] in ("irreversible-cipher", "cipher", "simple"):
            keyword, value = words[3], words[4]
        else:
            keyword, value = "simple", words[3]
        storage, scheme, recovered = classify_password(keyword, value)
        default = recovered is not None and (user.lower(), value.lower()) in VENDOR_DEFAULTS
        return LocalAccount(
            name=user,
            kind="user",
            # No privilege line: level 0, except the factory account admin (level 15 out of the box).
            admin=(level if level is not None else (15 if user == "admin" else 0)) >= ADMIN_LEVEL,
            storage=storage,
            scheme=scheme,
            evidence=self.line_evidence(ev, line),
            recovered=recovered,
            vendor_default=default,
        )

    def _password_policy(self, block: Line, facts: Facts, ev: EvidenceMaker) -> None:
        expire = block.child(r"^password expire \d+")
        if expire is None:
            return
        facts.password_policy = PasswordPolicy(
            min_length=None,
            max_age_days=int(expire.text.split()[2]),
            evidence=(self.line_evidence(ev, expire),),
        )

    def _save_configuration(self, line: Line, facts: Facts, ev: EvidenceMaker) -> None:
        words = line.text.split()
        target = words[words.index("server") + 1] if "server" in words[:-1] else None
        if "password" in words:
            value = words[words.index("password") + 1 :]
            if value and value[0] in ("cipher", "simple"):
                value = value[1:]
            if value:
                REDACTOR.add(value[0])
        facts.archives.append(ConfigArchive(target=target, evidence=self.line_evidence(ev, line)))

    def fix(self, key: str, **params: object) -> tuple[str, ...]:
        users = params.get("users")
        if key == "idle_timeout" and params.get("context") == "aaa" and isinstance(users, tuple):
            return ("aaa", *(f" local-user {user} idle-timeout {params['minutes']} 0" for user in users))
        return super().fix(key, **params)

    def baseline_dialect(self, facts: Facts, tree: ConfigTree, anchor: Evidence | None) -> VrpDialect:
        """VRP before V200R (Quidway VRP 3/5) accepts SSH version 1 by default; later releases write
        ``undo ssh server compatible-ssh1x enable`` into a new configuration and refuse it."""
        header = next((tree.texts[i] for i in sorted(tree.comments)[:8] if "Software Version" in tree.texts[i]), None)
        release = huawei_release(facts.version) or huawei_release(header)
        if release is None:
            return VrpDialect("huawei", "Huawei VRP (release unknown: the older defaults assumed)", True, anchor=anchor)
        return VrpDialect("huawei", f"Huawei VRP {release}", release < "V200R", anchor=anchor)

    # ---- show outputs ---------------------------------------------------------------

    def parse_version(self, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        rows = self.show_rows(self.commands.version, text)
        if not rows:
            return
        row = rows[0]
        facts.version = row.get("product_version") or row.get("vrp_version") or None
        model = (row.get("model") or "").split()
        facts.model = model[0] if model else None

    def parse_power(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        start = 1
        for row in self.show_rows(command, text):
            slot, card = row.get("slot", ""), row.get("card", "")
            name = card if card.upper().startswith(("PWR", "POWER", "PSU")) else slot
            if not name.upper().startswith(("PWR", "POWER", "PSU")):
                continue
            number, line = locate(text, name, row.get("pid", ""), start=start)
            start = number + 1 if number else start
            status = device_power_status(
                row.get("online_status", ""), row.get("power_status", ""), row.get("alarm_status", "")
            )
            label = f"{slot}/{name}" if name == card and slot not in ("", "-") else name
            facts.power_supplies.append(
                PowerSupply(
                    name=label,
                    status=status,
                    evidence=ev(number, line),
                    detail=" ".join(
                        v for v in (row.get("pid"), row.get("online_status"), row.get("alarm_status")) if v
                    ),
                )
            )

    def parse_neighbors(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        start = 1
        for row in self.show_rows(command, text):
            local = row.get("local_interface", "")
            number, line = locate(text, local, "neighbor", start=start)
            start = number + 1 if number else start
            description = row.get("neighbor_description") or []
            if isinstance(description, str):
                description = [description]
            facts.neighbors.append(
                Neighbor(
                    protocol="lldp",
                    local_interface=local,
                    remote_name=row.get("neighbor_name") or row.get("chassis_id") or "",
                    remote_interface=row.get("neighbor_port_id") or row.get("neighbor_interface") or None,
                    evidence=ev(number, line),
                    remote_address=row.get("mgmt_address") or None,
                    remote_platform=description[0] if description else None,
                    remote_serial=row.get("serial") or None,
                )
            )
