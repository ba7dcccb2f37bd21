"""The fixed, read-only commands netcomply runs on a Linux host, in two phases.

Phase one is the same on every host. Phase two depends on what phase one printed:
the package manager of the distribution (``/etc/os-release``) and ``systemctl cat``
for each systemd timer. :meth:`HostCommandSet.follow_up` computes
phase two from phase one's outputs, and both the collector and the offline parser
call it, so a saved snapshot is replayed with exactly the commands that were run.

Every command is saved under its slug like a device command. Commands that need root
(password aging in /etc/shadow, process names of sockets, ``sshd -T``, root's crontab)
are run through ``sudo -n`` when the login user is not root; that prefix is a transport
detail and not part of the command's name.

Password aging comes from /etc/shadow in one command for every account, with the
password field replaced by its state (``P`` usable, ``L`` locked, ``NP`` empty) on the
host itself, so no password hash ever leaves it (what ``chage -l`` and ``passwd -S``
tell per account, for all accounts at once).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from scanner.platforms.base import CommandSet

OS_RELEASE = "cat /etc/os-release"
HOSTNAME = "hostname"
LOGIN_DEFS = "cat /etc/login.defs"
PAM = (
    "grep -Hs '' /etc/pam.d/common-password /etc/pam.d/system-auth /etc/pam.d/password-auth"
    " /etc/security/pwquality.conf /etc/security/pwquality.conf.d/*.conf"
)
PASSWD = "getent passwd"
GROUP = "getent group"
SHADOW = 'awk -F: -v OFS=: \'{ $2 = ($2 == "") ? "NP" : ($2 ~ /^[!*]/) ? "L" : "P"; print }\' /etc/shadow'
LASTLOG = "lastlog"
SOCKETS = "ss -tulpn"
CLAMSCAN = "clamscan --version"
PROCESSES = "ps -eo comm="
CRONTAB = "cat /etc/crontab"
CRON_FILES = (
    "grep -Hs '' /etc/cron.d/* /etc/cron.hourly/* /etc/cron.daily/* /etc/cron.weekly/* /etc/cron.monthly/*"
    " /var/spool/cron/crontabs/* /var/spool/cron/*"
)
TIMERS = "systemctl list-timers --all --no-pager --no-legend"
SYSLOG = (
    "grep -Hs '' /etc/rsyslog.conf /etc/rsyslog.d/*.conf /etc/syslog-ng/syslog-ng.conf /etc/syslog-ng/conf.d/*.conf"
    " /etc/systemd/journal-upload.conf /etc/systemd/journal-upload.conf.d/*.conf"
)
SSHD_EFFECTIVE = "sshd -T"
SSHD_FILES = "grep -Hs '' /etc/ssh/sshd_config /etc/ssh/sshd_config.d/*.conf"
# Account lockout: the PAM auth stacks and pam_faillock's own settings.
AUTH_PAM = (
    "grep -Hs '' /etc/pam.d/common-auth /etc/pam.d/system-auth /etc/pam.d/password-auth /etc/security/faillock.conf"
)
# The host firewall: every layer that can filter inbound traffic (all need root).
NFT = "nft list ruleset"
IPTABLES = "iptables-save"
IP6TABLES = "ip6tables-save"
FIREWALLD_STATE = "firewall-cmd --state"
FIREWALLD_ZONE = "firewall-cmd --list-all"
FIREWALL_COMMANDS = (NFT, IPTABLES, IP6TABLES, FIREWALLD_STATE, FIREWALLD_ZONE)

APT = "apt-get -s dist-upgrade"
DNF_ALL = "dnf -C -q check-update"
DNF_SECURITY = "dnf -C -q updateinfo list --security"
YUM_ALL = "yum -C -q check-update"
YUM_SECURITY = "yum -C -q updateinfo list security"
ZYPPER_SECURITY = "zypper --no-refresh -q list-patches --category security"

# The first word of commands that read what only root may read.
_PRIVILEGED_WORDS = frozenset(
    {"ss", "sshd", "dnf", "yum", "zypper", "nft", "iptables-save", "ip6tables-save", "firewall-cmd"}
)
_PRIVILEGED = frozenset({CRON_FILES, SHADOW})
# Commands that only read local files (no daemon, no name service, no network).
_LOCAL_READS = frozenset({"cat", "grep", "awk", "hostname"})

_SAFE_UNIT = re.compile(r"^[A-Za-z0-9_.@:\\-]+\.(timer|service)$")
NO_LOGIN_SHELLS = ("nologin", "false", "sync", "halt", "shutdown")
DEFAULT_UID_MIN = 1000
DEFAULT_UID_MAX = 60000


@dataclass(frozen=True)
class AntivirusProductSpec:
    name: str
    processes: tuple[str, ...]
    paths: tuple[str, ...]
    scans: tuple[str, ...]
    dateable: bool = False


@cache
def antivirus_products() -> tuple[AntivirusProductSpec, ...]:
    """The products of scanner/data/antivirus.yaml."""
    text = resources.files("scanner").joinpath("data/antivirus.yaml").read_text(encoding="utf-8")
    return tuple(
        AntivirusProductSpec(
            name=str(item["name"]),
            processes=tuple(item.get("processes") or ()),
            paths=tuple(item.get("paths") or ()),
            scans=tuple(item.get("scans") or ()),
            dateable=bool(item.get("dateable", False)),
        )
        for item in yaml.safe_load(text)["products"]
    )


# Products install under /opt or /usr/local (two levels at most: /opt/Symantec/symantec_antivirus).
ANTIVIRUS_FOLDERS = "find /opt /usr/local -maxdepth 2 -type d"


def antivirus_paths_command() -> str:
    return ANTIVIRUS_FOLDERS


def login_defs(text: str | None) -> dict[str, tuple[str, int, str]]:
    """``{KEY: (value, line number, line)}`` of login.defs (the last setting of a key wins)."""
    values: dict[str, tuple[str, int, str]] = {}
    for number, line in enumerate((text or "").splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        parts = stripped.split(None, 1)
        values[parts[0]] = (parts[1].strip() if len(parts) > 1 else "", number, line)
    return values


def uid_range(defs: Mapping[str, tuple[str, int, str]]) -> tuple[int, int]:
    def number(key: str, default: int) -> int:
        try:
            return int(defs[key][0])
        except (KeyError, ValueError):
            return default

    return number("UID_MIN", DEFAULT_UID_MIN), number("UID_MAX", DEFAULT_UID_MAX)


@dataclass(frozen=True)
class PasswdEntry:
    name: str
    password: str
    uid: int
    gid: int
    gecos: str
    home: str
    shell: str
    line: int
    raw: str

    @property
    def login_shell(self) -> bool:
        shell = self.shell.rsplit("/", 1)[-1]
        return bool(self.shell) and shell not in NO_LOGIN_SHELLS


def passwd_entries(text: str | None) -> list[PasswdEntry]:
    entries = []
    for number, line in enumerate((text or "").splitlines(), 1):
        fields = line.split(":")
        if len(fields) < 7:
            continue
        try:
            uid, gid = int(fields[2]), int(fields[3])
        except ValueError:
            continue
        entries.append(
            PasswdEntry(fields[0], fields[1], uid, gid, fields[4], fields[5], ":".join(fields[6:]), number, line)
        )
    return entries


def is_human(entry: PasswdEntry, uids: tuple[int, int]) -> bool:
    """A person's login: root, or a UID in login.defs' range with a login shell."""
    return entry.uid == 0 or (uids[0] <= entry.uid <= uids[1] and entry.login_shell)


def os_release(text: str | None) -> dict[str, str]:
    values = {}
    for line in (text or "").splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() and not key.startswith("#"):
            values[key.strip()] = value.strip().strip("\"'")
    return values


def package_manager(release: Mapping[str, str]) -> str:
    """apt, dnf, yum or zypper for the distribution, "" when netcomply does not know it."""
    words = {release.get("ID", "").lower(), *release.get("ID_LIKE", "").lower().split()}
    if words & {"debian", "ubuntu", "linuxmint", "raspbian", "kali", "uos", "deepin", "kylin"}:
        return "apt"
    if words & {"suse", "opensuse", "sles", "opensuse-leap", "opensuse-tumbleweed"}:
        return "zypper"
    if words & {"rhel", "fedora", "centos", "rocky", "almalinux", "ol", "amzn", "openeuler", "anolis", "kylin-server"}:
        major = release.get("VERSION_ID", "").split(".", 1)[0]
        fedora = "fedora" in words and release.get("ID", "").lower() == "fedora"
        if not fedora and major.isdigit() and int(major) < 8:
            return "yum"
        return "dnf"
    return ""


PACKAGE_COMMANDS = {
    "apt": (APT,),
    "dnf": (DNF_ALL, DNF_SECURITY),
    "yum": (YUM_ALL, YUM_SECURITY),
    "zypper": (ZYPPER_SECURITY,),
}


def timer_units(text: str | None) -> list[tuple[str, str]]:
    """``(timer, activated unit)`` pairs of ``systemctl list-timers``."""
    pairs = []
    for line in (text or "").splitlines():
        match = re.search(r"(\S+\.timer)\s+(\S+)\s*$", line)
        if match and _SAFE_UNIT.match(match.group(1)) and _SAFE_UNIT.match(match.group(2)):
            pairs.append((match.group(1), match.group(2)))
    return list(dict.fromkeys(pairs))


def timer_command(timer: str, unit: str) -> str:
    return f"systemctl cat --no-pager {timer} {unit}"


@dataclass(frozen=True)
class HostCommandSet(CommandSet):
    """Phase one (``first``) and the rule for phase two (:meth:`follow_up`)."""

    first: tuple[str, ...] = field(default=())

    @property
    def all(self) -> tuple[str, ...]:
        """Phase one; phase two is :meth:`follow_up` of its outputs."""
        return self.first

    def follow_up(self, outputs: Mapping[str, str | None]) -> tuple[str, ...]:
        commands: list[str] = []
        commands += PACKAGE_COMMANDS.get(package_manager(os_release(outputs.get(OS_RELEASE))), ())
        commands += [timer_command(timer, unit) for timer, unit in timer_units(outputs.get(TIMERS))]
        return tuple(commands)

    @staticmethod
    def may_hang(command: str) -> bool:
        """False for reads of local files, which cannot hang (the others run under ``timeout``)."""
        return command.split(" ", 1)[0] not in _LOCAL_READS

    @staticmethod
    def privileged(command: str) -> bool:
        """True when the command reads what only root may read (run through ``sudo -n`` otherwise)."""
        return command in _PRIVILEGED or command.split(" ", 1)[0] in _PRIVILEGED_WORDS


def host_commands() -> HostCommandSet:
    return HostCommandSet(
        version=OS_RELEASE,
        config=LOGIN_DEFS,
        first=(
            OS_RELEASE,
            HOSTNAME,
            LOGIN_DEFS,
            PAM,
            PASSWD,
            GROUP,
            SHADOW,
            LASTLOG,
            SOCKETS,
            CLAMSCAN,
            PROCESSES,
            antivirus_paths_command(),
            CRONTAB,
            CRON_FILES,
            TIMERS,
            SYSLOG,
            SSHD_EFFECTIVE,
            SSHD_FILES,
            AUTH_PAM,
            *FIREWALL_COMMANDS,
        ),
    )
