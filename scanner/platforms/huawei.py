"""Huawei VRP: S/CE switches, AR/NE routers (netmiko ``huawei``, ``huawei_vrpv8``; ntc-templates ``huawei_vrp``).

TFTP: Huawei's S-series configuration guides say the switch "can function only as a
client" in TFTP mode, but the platform also covers AR routers, which configure a TFTP
server with ``tftp-server enable``. services.tftp therefore reads that statement
rather than calling every VRP device unable to serve TFTP.
"""

from __future__ import annotations

from scanner.configtree import ConfigTree, Line
from scanner.configview import ConfigView
from scanner.facts import (
    ConfigArchive,
    Facts,
    LocalAccount,
    Neighbor,
    PasswordPolicy,
    PowerSupply,
    SecretStorage,
    Service,
)
from scanner.masking import REDACTOR, Secret
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
    device_power_status,
    disable_logging,
    flatten_sections,
    looks_vrp_family,
    parse_community,
    rest_after,
    vrp_config_view,
)
from scanner.platforms.base import CommandSet, EvidenceMaker, Platform
from scanner.showparse import locate

# The default account of S-series switches (web and console) documented by Huawei.
VENDOR_DEFAULTS = {("admin", "admin@huawei.com")}
_ADMIN_LEVEL = 3  # VRP command levels 3-15 are management levels.
_TELNET_PROTOCOLS = {"telnet", "all"}
_DEFAULT_VTY = "user-interface vty 0 4"
# Server statements (also read after "undo "); telnet over IPv4 is handled with the vty lines.
_SERVICES = {
    "http server enable": "http",
    "http secure-server enable": "https",
    "ftp server enable": "ftp",
    "ftp ipv6 server enable": "ftp",
    "tftp-server enable": "tftp",
    "telnet ipv6 server enable": "telnet",
}


@register
class HuaweiVRP(Platform):
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
    )
    comment = "#!"
    session_setup = ("screen-length 0 temporary",)
    config_end = "return"
    negation = "undo "
    hier_config = "HUAWEI_VRP"
    config_mode = ("system-view", "return")
    cli_prompt = "<{hostname}>"
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
        "set_user_password": ("aaa", " local-user {user} password irreversible-cipher <new-password>"),
        "password_policy": ("aaa", " local-aaa-user password policy administrator", "  password expire 90"),
        "add_syslog_host": ("info-center enable", "info-center loghost <syslog-server>"),
        "archive_config": (
            "set save-configuration interval 1440 delay 5",
            "set save-configuration backup-to-server server <backup-server> transport-type sftp user <user> "
            "password <password>",
        ),
    }

    @classmethod
    def detect(cls, text: str) -> int:
        if not looks_vrp_family(text):
            return 0
        return max(1 + marker_score(text, HUAWEI_MARKERS) - marker_score(text, COMWARE_MARKERS), 0)

    def prepare_config(self, text: str) -> str:
        return flatten_sections(text)

    def config_view(self, tree: ConfigTree, text: str, ev: EvidenceMaker) -> ConfigView:
        return vrp_config_view(self, tree, text, ev)

    # ---- config ---------------------------------------------------------------------

    def parse_config(self, tree: ConfigTree, facts: Facts, ev: EvidenceMaker) -> None:
        telnet_global: tuple[Line, bool] | None = None
        vty_lines: list[Line] = []
        logging_off: Line | None = None
        facts.interfaces = vrp_interfaces(tree, lambda line: self.line_evidence(ev, line))
        for line in config_roots(tree):
            text = line.text
            first = text.split(" ", 1)[0]
            if first == "sysname":
                facts.hostname = rest_after(text, 1) or None
            elif first == "aaa":
                self._aaa(line, facts, ev)
            elif first == "snmp-agent":
                community = parse_community(line, ev)
                if community is not None:
                    facts.snmp_communities.append(community)
            elif first == "info-center":
                add_loghost(line, facts, ev)
            elif first == "user-interface":
                if text.startswith("user-interface vty "):
                    vty_lines.append(line)
            elif first == "undo":
                if text == "undo info-center enable":
                    logging_off = line
                elif text == "undo telnet server enable":
                    telnet_global = (line, False)
                else:
                    self._service_statement(line, text[5:], False, facts, ev)
            elif first == "telnet":
                if text == "telnet server enable":
                    telnet_global = (line, True)
                else:
                    self._service_statement(line, text, True, facts, ev)
            elif first in ("http", "ftp", "tftp-server"):
                self._service_statement(line, text, True, facts, ev)
            elif first == "set" and text.startswith("set save-configuration"):
                self._save_configuration(line, facts, ev)
            elif first == "configuration" and text.startswith("configuration file auto-save"):
                facts.archives.append(ConfigArchive(target=None, evidence=self.line_evidence(ev, line)))
        self._telnet(telnet_global, vty_lines, facts, ev)
        if logging_off is not None:
            disable_logging(facts, logging_off, ev)
        facts.access = read_vrp_access(tree, facts, ev, "huawei")

    def _service_statement(self, line: Line, statement: str, enabled: bool, facts: Facts, ev: EvidenceMaker) -> None:
        name = _SERVICES.get(statement)
        if name is not None:
            context = _DEFAULT_VTY if name == "telnet" else ""
            facts.services.append(Service(name, enabled, self.line_evidence(ev, line), line.text, context))

    def _telnet(
        self, telnet_global: tuple[Line, bool] | None, vty_lines: list[Line], facts: Facts, ev: EvidenceMaker
    ) -> None:
        """``telnet server enable``, and vty ``protocol inbound telnet|all`` unless the telnet server is undone."""
        server_off = telnet_global is not None and not telnet_global[1]
        default_context = vty_lines[0].text if vty_lines else _DEFAULT_VTY
        if telnet_global is not None:
            line, enabled = telnet_global
            facts.services.append(
                Service("telnet", enabled, self.line_evidence(ev, line), detail=line.text, context=default_context)
            )
        for vty in vty_lines:
            protocol = vty.child(r"^protocol inbound ")
            if protocol is None:
                continue
            protocols = set(protocol.text.split()[2:])
            if not protocols & _TELNET_PROTOCOLS:
                continue
            detail = f"{vty.text}: {protocol.text}" + (" (telnet server disabled)" if server_off else "")
            facts.services.append(
                Service("telnet", not server_off, self.line_evidence(ev, protocol), detail=detail, context=vty.text)
            )

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
            kind, value = words[3], words[4]
        else:
            kind, value = "simple", words[3]
        secret = Secret(value)
        recovered = None
        storage: SecretStorage
        if kind == "irreversible-cipher":
            storage, scheme = "hash", "irreversible-cipher"
        elif kind == "cipher" or CIPHER_TEXT.match(value):
            storage, scheme = "reversible", "cipher"
        else:
            storage, scheme, recovered = "plaintext", "simple", secret
        default = recovered is not None and (user.lower(), value.lower()) in VENDOR_DEFAULTS
        return LocalAccount(
            name=user,
            kind="user",
            # No privilege line: level 0, except the factory account admin (level 15 out of the box).
            admin=(level if level is not None else (15 if user == "admin" else 0)) >= _ADMIN_LEVEL,
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
