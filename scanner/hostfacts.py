"""Facts about a server (a Linux or Windows host), as its platform parser reads them from the host's state.

Network devices describe themselves in one configuration; a host is read from many
small outputs (Linux: passwd, login.defs, PAM, chage, lastlog, ss, the package
manager...; Windows: the JSON files and the secedit export of its snapshot). These
types are what the ``host.*`` checks read, and nothing else: they never see the
outputs themselves, so one check judges both platforms. Every fact keeps its
evidence, masked.

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
HOST_LOCKOUT = "host.lockout"  # Linux pam_faillock / pam_tally2; Windows LockoutBadCount / LockoutDuration
HOST_FIREWALL = "host.firewall"  # Linux nftables / iptables / firewalld; Windows firewall profiles

# "not_required": Windows PasswordRequired false, so the account may have an empty password.
PasswordState = Literal["set", "locked", "empty", "not_required", "unknown"]


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
    # The platform knows the account administers the host (Windows: a member of Administrators).
    admin: bool = False
    # The host's built-in superuser that is no person's own login (Windows: the Administrator account, RID 500).
    builtin_admin: bool = False
    # Windows: the account is disabled and cannot log in at all.
    disabled: bool = False
    # Why the platform judged the password state as it did, when the state alone does not say
    # ("PasswordRequired false", "the Guest account, enabled").
    password_note: str = ""

    @property
    def usable_password(self) -> bool:
        """The account can log in with a password (or with none at all)."""
        return self.password in ("set", "empty", "not_required")

    @property
    def superuser(self) -> bool:
        """root (uid 0), or the platform's built-in administrator."""
        return self.uid == 0 or self.builtin_admin


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
    # The setting that holds the maximum age, and to which accounts it applies.
    max_days_setting: str = "PASS_MAX_DAYS"
    max_days_applies: str = "for new accounts"
    ignored: tuple[Evidence, ...] = ()
    # The rule that decides the minimum: "pwquality", "cracklib", "passwdqc", "pam_unix", "login.defs",
    # and the file it is set in.
    module: str = ""
    file: str = ""
    # True when the minimum is an argument on the module's line in ``file`` (it overrides pwquality.conf).
    in_module_line: bool = False
    # Windows: passwords kept with reversible encryption (ClearTextPassword = 1): the line that says so.
    reversible: Evidence | None = None
    # Windows: PasswordComplexity (letters, digits, symbols mixed); None where the platform has no one switch.
    complexity: bool | None = None
    complexity_evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class Listener:
    """A socket listening for connections (TCP) or datagrams (UDP)."""

    protocol: Literal["tcp", "udp"]
    address: str
    port: int
    process: str
    evidence: Evidence
    # What the platform's disable_service fix takes: None for the process name (Linux, where it
    # is most often the systemd unit's too); Windows: the service hosted in the process, "" when none.
    unit: str | None = None

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
class InstalledPatch:
    """An update installed on the host (a Windows hotfix), with the date it was installed when known."""

    name: str
    installed: date | None
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class PatchState:
    """What the host knows of pending updates: the package manager's local cache (Linux), the Windows
    Update Agent's search (Windows), or only the installed updates when no catalogue was consulted."""

    manager: str
    pending: tuple[PendingUpdate, ...]
    # False when the manager only says "updates pending" without telling security ones apart.
    knows_security: bool = True
    evidence: Evidence | None = None
    # False when no update catalogue was searched (a Windows host without WSUS, Windows Update or
    # wsusscn2.cab): ``pending`` is then unknown and only ``installed`` can be judged, by age.
    catalogue_consulted: bool = True
    # Why the catalogue was not consulted (the search's error, or that none was made).
    catalogue_note: str = ""
    installed: tuple[InstalledPatch, ...] = ()

    @property
    def newest_installed(self) -> InstalledPatch | None:
        dated = [p for p in self.installed if p.installed is not None]
        return max(dated, key=lambda p: p.installed or date.min) if dated else None

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
    # What keeps the product from protecting the host, read from the host itself (Windows Defender:
    # "real-time protection off"); a product with a problem does not count as protection.
    problems: tuple[str, ...] = ()
    # Days since the product's last scan, from its own record (Windows Defender's QuickScanAge /
    # FullScanAge); None when the product does not say. Takes the place of a scheduled job.
    last_scan_days: int | None = None
    scan_evidence: Evidence | None = None
    # The product's own record says it never scanned the host.
    never_scanned: bool = False

    @property
    def scan_recorded(self) -> bool:
        """The product itself says when it last scanned (so no schedule needs reading)."""
        return self.last_scan_days is not None or self.never_scanned


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


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    """After how many failed logins an account is locked, and for how long.

    ``threshold`` None: accounts are never locked. ``minutes`` None with ``until_unlocked``:
    a locked account stays locked until an administrator unlocks it. ``defaults`` names
    every value that a built-in default decided (not written anywhere on the host).
    """

    mechanism: str
    threshold: int | None
    minutes: float | None
    evidence: tuple[Evidence, ...] = ()
    until_unlocked: bool = False
    defaults: tuple[str, ...] = ()
    # What makes the mechanism present but not enforced (a pam_faillock without its preauth line...).
    gaps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FirewallScope:
    """One place where inbound traffic is filtered or should be: a Windows firewall profile, or
    the inbound path of one IP family on Linux (every nftables/iptables/firewalld layer on it)."""

    name: str
    enabled: bool
    inbound_blocked: bool
    # How it was decided, for the message: "policy drop (nftables inet filter input)".
    summary: str
    evidence: tuple[Evidence, ...] = ()
    # A built-in default decided it ("NotConfigured: the Windows default (Block) applies").
    default_note: str = ""
    # What the platform's enable_firewall fix names (Windows: the profile).
    fix_target: str = ""


@dataclass(frozen=True, slots=True)
class FirewallState:
    """The host firewall: every scope must be enabled and block unsolicited inbound traffic by default."""

    tools: tuple[str, ...]
    scopes: tuple[FirewallScope, ...]


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
    lockout: LockoutPolicy | None = None
    # The command that puts the lockout module into the host's PAM stack (Linux: authselect or an edit).
    lockout_enable_command: str = ""
    firewall: FirewallState | None = None

    def humans(self) -> list[HostAccount]:
        return [a for a in self.accounts if a.human]

    def account(self, name: str) -> HostAccount | None:
        return next((a for a in self.accounts if a.name == name), None)
