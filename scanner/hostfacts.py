"""Facts about a server (a Linux host), as its platform parser reads them from the host command set.

Network devices describe themselves in one configuration; a host is read from many
small outputs (passwd, login.defs, PAM, chage, lastlog, ss, the package manager...).
These types are what the ``host.*`` checks read, and nothing else: they never see
the command outputs themselves. Every fact keeps its evidence, masked.

Fact families (for a check's ``needs``): one per group of commands, so a host whose
``lastlog`` is missing gets an ``error`` on host.stale_account only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from scanner.model import Evidence

HOST_ACCOUNTS = "host.accounts"  # getent passwd, getent group, login.defs UID range
HOST_AGING = "host.aging"  # chage -l / passwd -S per examined account
HOST_LOGINS = "host.logins"  # lastlog
HOST_PASSWORD_RULES = "host.password_rules"  # login.defs, PAM password stack, pwquality
HOST_LISTENERS = "host.listeners"  # ss -tulpn
HOST_PACKAGES = "host.packages"  # apt-get -s upgrade / dnf check-update / zypper
HOST_ANTIVIRUS = "host.antivirus"  # clamscan --version, processes, product folders
HOST_SCHEDULE = "host.schedule"  # crontabs and systemd timers
HOST_SYSLOG = "host.syslog"  # rsyslog / syslog-ng / journal-upload configuration
HOST_SSHD = "host.sshd"  # sshd -T, else the sshd_config files

PasswordState = Literal["set", "locked", "empty", "unknown"]


@dataclass(frozen=True, slots=True)
class HostAccount:
    """A local account. ``human``: a person's login (the UID range of login.defs, a login shell), or root.

    ``last_change`` is the date of the last password change (None when never or unknown;
    ``must_change`` when the password must be changed at the next login). ``max_days``
    is the account's own maximum password age (None: no maximum). ``last_login`` None
    with ``never_logged_in`` means lastlog has no record of a login.
    """

    name: str
    uid: int
    gid: int
    home: str
    shell: str
    human: bool
    evidence: Evidence
    # Every group the account is in (primary and supplementary), for the policy's admin groups.
    groups: tuple[str, ...] = ()
    password: PasswordState = "unknown"
    # True when /etc/passwd itself holds the password field (no shadow 'x'): empty or a hash.
    passwd_field_password: bool = False
    last_change: date | None = None
    must_change: bool = False
    max_days: int | None = None
    expires: date | None = None
    last_login: datetime | None = None
    never_logged_in: bool = False
    aging_evidence: tuple[Evidence, ...] = ()
    login_evidence: Evidence | None = None

    @property
    def usable_password(self) -> bool:
        """The account can log in with a password (or with none at all)."""
        return self.password in ("set", "empty")


@dataclass(frozen=True, slots=True)
class PasswordRules:
    """How long a new password must be and how long one may be kept, as the host enforces it.

    ``min_length`` is the effective minimum that PAM enforces (``min_length_source``
    says which module or file decides it); ``ignored`` lists settings that look like
    rules but that nothing enforces (PASS_MIN_LEN in login.defs under PAM).
    """

    min_length: int | None
    min_length_source: str
    min_length_evidence: tuple[Evidence, ...] = ()
    max_days: int | None = None
    max_days_evidence: Evidence | None = None
    ignored: tuple[Evidence, ...] = ()
    # The rule that decides the minimum: "pwquality", "cracklib", "passwdqc", "pam_unix", "login.defs",
    # and the file it is set in.
    module: str = ""
    file: str = ""
    # True when the minimum is an argument on the module's line in ``file`` (it overrides pwquality.conf).
    in_module_line: bool = False


@dataclass(frozen=True, slots=True)
class Listener:
    """A socket listening for connections (TCP) or datagrams (UDP)."""

    protocol: Literal["tcp", "udp"]
    address: str
    port: int
    process: str
    evidence: Evidence

    @property
    def loopback_only(self) -> bool:
        address = self.address.strip("[]")
        return address.startswith("127.") or address == "::1" or address.startswith("::ffff:127.")


@dataclass(frozen=True, slots=True)
class PendingUpdate:
    package: str
    version: str
    security: bool
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class PatchState:
    """The package manager's view of pending updates, from its local cache (no network)."""

    manager: str
    pending: tuple[PendingUpdate, ...]
    # False when the manager only says "updates pending" without telling security ones apart.
    knows_security: bool = True
    evidence: Evidence | None = None

    @property
    def security(self) -> tuple[PendingUpdate, ...]:
        return tuple(u for u in self.pending if u.security)


@dataclass(frozen=True, slots=True)
class AntivirusProduct:
    """An antivirus product found on the host, and what can be read of its signatures."""

    name: str
    running: bool
    evidence: tuple[Evidence, ...]
    # The build date of the newest signature database; None when it cannot be read over SSH.
    signatures: datetime | None = None
    signatures_evidence: Evidence | None = None
    # True when the product keeps signatures where netcomply can date them (ClamAV).
    dateable: bool = False
    # Command names whose presence in a schedule counts as a scan by this product.
    scan_commands: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ScheduledJob:
    """A cron entry or a systemd timer: when it runs and what it runs.

    ``interval_days`` is the longest gap between two runs (1 for daily, 7 for weekly,
    31 for monthly), None when the schedule cannot be read.
    """

    source: str
    schedule: str
    command: str
    interval_days: float | None
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class LogTarget:
    """A remote destination of the host's logs."""

    address: str
    via: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class SshdOption:
    value: str
    evidence: Evidence | None


@dataclass
class HostState:
    """Everything the host checks read about one server."""

    os_id: str = ""
    os_like: tuple[str, ...] = ()
    os_name: str = ""
    os_version: str = ""
    accounts: list[HostAccount] = field(default_factory=list)
    password_rules: PasswordRules | None = None
    listeners: list[Listener] = field(default_factory=list)
    patches: PatchState | None = None
    antivirus: list[AntivirusProduct] = field(default_factory=list)
    # The products the host was searched for (scanner/data/antivirus.yaml), named when none is found.
    antivirus_searched: tuple[str, ...] = ()
    jobs: list[ScheduledJob] = field(default_factory=list)
    log_targets: list[LogTarget] = field(default_factory=list)
    # sshd's effective settings, lower-case keys; ``sshd_source`` says whether from `sshd -T`.
    sshd: dict[str, SshdOption] = field(default_factory=dict)
    sshd_source: str = ""
    # How to install and to apply security updates on this host, in its package manager's terms.
    install_command: str = "<package-manager> install"
    security_upgrade_command: str = ""

    def humans(self) -> list[HostAccount]:
        return [a for a in self.accounts if a.human]

    def account(self, name: str) -> HostAccount | None:
        return next((a for a in self.accounts if a.name == name), None)
