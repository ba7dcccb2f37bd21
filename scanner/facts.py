"""Vendor-neutral facts a platform parser extracts from a snapshot.

Every fact keeps the evidence it came from. Checks read only these types; they never
see a vendor's syntax, and platform parsers never see a policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Interface, IPv6Interface
from typing import TYPE_CHECKING, Any, Literal, Protocol

from scanner.masking import Secret
from scanner.model import Evidence, packed_fast

if TYPE_CHECKING:
    from scanner.aclfacts import AccessFacts, AccessList, AclFamily
    from scanner.arptable import ArpTable
    from scanner.configview import ConfigView
    from scanner.hostfacts import HostState

# Fact families: a check declares the families it needs, and a host whose snapshot
# could not provide one gets an ``error`` finding with the reason instead of a verdict.
CONFIG = "config"
POWER = "power"
NEIGHBORS = "neighbors"
VERSION = "version"
# The device's ARP table (show ip arp, display arp...): only the IP address checks read it,
# so a device that cannot show it loses nothing else.
ARP = "arp"
# A server's state (platforms of kind "host"); its finer families are in scanner.hostfacts.
HOST = "host"

Access = Literal["ro", "rw"]
CommunityStorage = Literal["clear", "cipher"]
SecretStorage = Literal["plaintext", "reversible", "hash", "none"]
PowerStatus = Literal["ok", "failed", "absent", "unknown"]


class PlatformInfo(Protocol):
    """What facts tell about the platform that produced them (a :class:`scanner.platforms.base.Platform`).

    Checks read the platform through this view only: its names, its kind, what it can
    serve, and the fix for a finding in its own syntax.
    """

    name: str
    display_name: str
    vendor: str
    kind: str
    serves_tftp: bool

    def fix(self, key: str, **params: object) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class Service:
    """A network service the device itself serves (http, https, ftp, tftp, telnet, ssh...)."""

    name: str
    enabled: bool
    evidence: Evidence | None
    detail: str = ""
    # The configuration statement or block it is enabled in ("line vty 0 4",
    # "tftp-server flash:ios.bin"): platforms format their fix with it.
    context: str = ""
    # Set when no statement decided the state but the platform's default did
    # ("Comware 7 default: telnet server disabled"); the verdict says so.
    default: str = ""


@dataclass(frozen=True, slots=True)
class SshServer:
    """The SSH protocol versions the device's SSH server accepts (``("1", "2")`` or ``("2",)``).

    ``enabled`` says whether the server runs at all (``stelnet server enable``, ``ssh server
    enable``, ``system services ssh``, a VTY that accepts SSH), with the line that says so
    (``enabled_evidence``) or the default that decides it (``enabled_default``).
    """

    versions: tuple[str, ...]
    evidence: Evidence | None
    # Set when no statement decided the versions but the platform's default did.
    default: str = ""
    enabled: bool = True
    enabled_evidence: Evidence | None = None
    enabled_default: str = ""


@dataclass(frozen=True, slots=True)
class LoginLockout:
    """One way the device limits failed logins: after ``attempts`` failures it refuses logins
    (from that source, or to that account) for ``lock_seconds``.

    ``lock_seconds`` is None when the lock lasts until an administrator lifts it (IOS
    ``aaa local authentication attempts max-fail``, H3C ``exceed lock``), 0 when the device only
    disconnects (H3C ``exceed unlock``). ``enabled`` is False when a statement turns the
    mechanism off (Huawei ``undo local-aaa-user wrong-password``). ``default`` names the vendor
    default behind any value the configuration does not give.
    """

    mechanism: str
    attempts: int | None
    lock_seconds: int | None
    evidence: tuple[Evidence, ...]
    default: str = ""
    enabled: bool = True
    # Why a configured mechanism locks nobody out (IOS "login quiet-mode access-class" naming a
    # list that permits any source exempts every source from the block).
    void: str = ""
    # The statements, in the vendor's syntax, that take the exemption away.
    unvoid: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IdleTimeout:
    """How long one kind of management session may stay idle before the device ends it.

    ``session`` names it as the configuration does (``line vty 0 4``, ``management ssh``,
    ``login class ops``); ``seconds`` is None when it never times out. ``context`` is the block
    a fix enters. ``users`` lists who the setting applies to, where it is per account (Junos
    login classes).
    """

    session: str
    seconds: int | None
    evidence: Evidence | None
    default: str = ""
    context: str = ""
    users: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NtpServer:
    """A time server the device synchronises to. ``authenticated`` is decided by the platform:
    a key on the server, the key trusted, and authentication turned on where the vendor needs it."""

    address: str
    evidence: Evidence
    authenticated: bool = False
    # Why the server is (not) authenticated, in the vendor's terms ("key 1 not trusted").
    auth_detail: str = ""
    vrf: str | None = None


@dataclass(frozen=True, slots=True)
class TimeSync:
    """The device's NTP client: its servers, and whether the client runs at all.

    ``running`` is False when a statement turns NTP off (NX-OS ``no feature ntp``, Huawei/H3C
    ``undo ntp-service enable``) or a default leaves it off (Comware 7 without ``ntp-service
    enable``): ``off_evidence`` / ``off_default`` say which. ``notes`` are things an assessor
    should know (``ntp disable`` on an interface, the device serving its own clock).
    """

    servers: tuple[NtpServer, ...] = ()
    running: bool = True
    off_evidence: Evidence | None = None
    off_default: str = ""
    notes: tuple[str, ...] = ()
    # The block a fix enters to turn the client back on (IOS "interface Gi0/0" holding "ntp disable").
    context: str = ""


@dataclass(frozen=True, slots=True)
class LogTimestamps:
    """Whether the messages sent to one log destination carry the date and time.

    ``destination`` names it (``log``, ``loghost``, ``trap``); ``detail`` the statement or
    default in effect; ``context`` the statement a fix rewrites.
    """

    destination: str
    datetime: bool
    detail: str
    evidence: Evidence | None
    default: str = ""
    context: str = ""


@dataclass(frozen=True, slots=True)
class ChangeLog:
    """A record the device keeps (or sends) of configuration changes.

    ``with_user`` says whether each record names who made the change; ``enabled`` is False
    for a statement that turns the record off (``undo info-center enable``, a filter dropping
    the command records). ``where`` says where records go (the device, syslog, TACACS+).
    """

    mechanism: str
    enabled: bool
    with_user: bool
    evidence: tuple[Evidence, ...]
    default: str = ""
    where: str = ""


@dataclass(frozen=True, slots=True)
class FamilyLists:
    """The lists that guard one address family of a way in, when each family names its own
    (a Junos ``lo0`` ``family inet`` and ``family inet6`` input filter; IOS ``access-class`` and
    ``ipv6 access-class`` on a vty line, and the other IOS, NX-OS and EOS bindings of
    :mod:`scanner.platforms._mgmt_access`).

    ``lists`` run in turn (one name, or an ``input-list``); empty when no list guards this
    family, and ``default`` then says what the vendor does. ``evidence`` is the binding line,
    or, with none, the line that shows the family is in use (an IPv6 address).
    """

    family: AclFamily
    lists: tuple[str, ...]
    evidence: Evidence | None
    default: str = ""
    # Lines a failure shows beside ``evidence`` because they explain it (a Junos lo0 filter that
    # guards another routing instance, and the statement that puts its unit there).
    also: tuple[Evidence, ...] = ()
    # Set when a list the ACL model does not read guards this family and no list of its own
    # does (a Junos protocol-independent lo0 filter): why the family is not judged, in words.
    unanalysed: str = ""


@dataclass(frozen=True, slots=True)
class ManagementAccess:
    """A way into the management plane, and the access list that says which sources may use it.

    ``service`` is what is reached (``vty``, ``ssh``, ``telnet``, ``http``, ``snmp``, ``routing-engine``);
    ``target`` names it as the configuration does (``line vty 0 4``, ``SNMP community 2``,
    ``management ssh``, ``lo0.0 input filter``); ``acl`` is the list's name, None when nothing
    restricts the sources. ``evidence`` is the binding line (or the block that lacks one);
    ``context`` the block a fix enters; ``default`` the vendor default that decided.

    The list itself is judged on the ACL model (``Facts.access``, :mod:`scanner.aclsources`):
    ``chain`` names the lists when several run in turn (a Junos ``input-list``), and
    ``inline`` holds the source lists the access point carries itself rather than naming one
    (Junos ``snmp community C clients``), in the model's terms: one per address family, since
    the model's addresses are plain integers whose width the list's ``family`` gives, and a
    packet is judged by the list of its own family only (each open or restricted apart).
    ``by_family`` names the lists per address family in the same way when each family binds
    its own (Junos ``lo0``): each family is judged by its own lists only, a family without one
    is open, and ``acl`` is then only the lists' display name.
    """

    service: str
    target: str
    acl: str | None
    evidence: Evidence | None
    context: str = ""
    default: str = ""
    chain: tuple[str, ...] = ()
    inline: tuple[AccessList, ...] = ()
    by_family: tuple[FamilyLists, ...] = ()

    @property
    def lists(self) -> tuple[str, ...]:
        """The names of the lists that run in turn for this way in (none when no list restricts it)."""
        return self.chain or ((self.acl,) if self.acl is not None else ())


@dataclass(frozen=True, slots=True)
class SnmpCommunity:
    """An SNMP v1/v2c community. ``value`` is the clear text, or the cipher text when stored so."""

    value: Secret
    access: Access
    storage: CommunityStorage
    evidence: Evidence
    acl: str | None = None
    # True when the platform could have stored it as cipher text but it is clear
    # (H3C/Huawei ``simple``): storing it so is itself reported.
    could_encrypt: bool = False
    # The IPv6 list where the platform names one apart (IOS/EOS ``ipv6 L6``, NX-OS ``use-ipv6acl L6``);
    # ``acl`` is then the IPv4 list.
    acl6: str | None = None

    @property
    def measurable(self) -> bool:
        return self.storage == "clear"


# The one name every platform gives an MD5-crypt hash (``$1$``..., Cisco type 5): the policy,
# not the platform, decides whether it is strong enough (thresholds.accept_md5_crypt).
MD5_CRYPT = "md5-crypt"


def crypt_scheme(value: str) -> str:
    """``md5-crypt`` / ``sha256-crypt`` / ``sha512-crypt`` from a crypt(3) hash's prefix; ``crypt`` otherwise."""
    return {"$1$": MD5_CRYPT, "$5$": "sha256-crypt", "$6$": "sha512-crypt"}.get(value[:3], "crypt")


@dataclass(frozen=True, slots=True)
class LocalAccount:
    """A local login credential: a user, the enable/super password (``kind == "enable"``),
    or the password of a login line (``kind == "line"``: IOS ``line vty`` ``password``,
    Huawei/H3C ``user-interface``/``line`` ``set authentication password``).

    ``storage`` says how the device keeps it: a one-way ``hash``, a ``reversible``
    encoding (Cisco type 7, Huawei ``cipher``), ``plaintext``, or ``none`` (no password).
    ``scheme`` names the encoding; a crypt hash is named by its family (:data:`MD5_CRYPT`,
    ``sha256-crypt``, ``sha512-crypt``) on every platform. ``recovered`` holds the clear
    text when it can be recovered from the config, so the password itself can be
    measured. ``weak_hash`` marks a hash scheme broken whatever the policy (IOS type 4).
    """

    name: str
    kind: Literal["user", "enable", "line"]
    admin: bool
    storage: SecretStorage
    scheme: str
    evidence: Evidence
    recovered: Secret | None = None
    weak_hash: bool = False
    vendor_default: bool = False
    # The configuration block it belongs to ("line vty 0 4"): platforms format their fix with it.
    context: str = ""


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    """The device's own password rules (H3C ``password-control``, Huawei ``password expire``)."""

    min_length: int | None
    max_age_days: int | None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class LogHost:
    address: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class PowerSupply:
    name: str
    status: PowerStatus
    evidence: Evidence
    detail: str = ""


@packed_fast
@dataclass(frozen=True, slots=True)
class Neighbor:
    """One CDP or LLDP adjacency as the local device reports it."""

    protocol: Literal["cdp", "lldp"]
    local_interface: str
    remote_name: str
    remote_interface: str | None
    evidence: Evidence
    remote_address: str | None = None
    remote_platform: str | None = None
    remote_serial: str | None = None


InterfaceAddressValue = IPv4Interface | IPv6Interface
InterfaceKind = Literal["physical", "subinterface", "vlan", "loopback", "management", "tunnel", "aggregate", "other"]


@dataclass(frozen=True, slots=True)
class InterfaceAddress:
    """An IP address configured on an interface, with its prefix (``10.1.1.1/24``).

    ``virtual`` names a gateway address the interface shares with others by design
    (``vrrp 10``, ``hsrp 1``, ``virtual-router``, ``anycast``): the same address on
    several devices is then not a duplicate.
    """

    address: InterfaceAddressValue
    evidence: Evidence
    secondary: bool = False
    virtual: str | None = None

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """An IPv4 address pickles as its integer and prefix length, not its text.

        Every host record is pickled into a packed list and unpickled by each network model
        that reads it; ``IPv4Interface`` pickles as its string, which each read parsed again
        (a tenth of a scan's time). IPv6 keeps its text (a scope id has no integer form)."""
        address = self.address
        if address.version == 4:
            values = (int(address), address.network.prefixlen, self.evidence, self.secondary, self.virtual)
            return (_ipv4_address, values)
        return (InterfaceAddress, (address, self.evidence, self.secondary, self.virtual))


def _ipv4_address(
    value: int, prefixlen: int, evidence: Evidence, secondary: bool, virtual: str | None
) -> InterfaceAddress:
    return InterfaceAddress(IPv4Interface((value, prefixlen)), evidence, secondary, virtual)


@packed_fast
@dataclass(frozen=True, slots=True)
class FilterBinding:
    """An access list or firewall filter applied to an interface's traffic in one direction."""

    name: str
    direction: Literal["in", "out"]
    evidence: Evidence
    family: Literal["ipv4", "ipv6", "any"] = "ipv4"


@packed_fast
@dataclass(frozen=True, slots=True)
class Interface:
    """One configured interface (a Junos logical unit is its own interface: ``ge-0/0/0.0``)."""

    name: str
    kind: InterfaceKind
    evidence: Evidence
    description: str = ""
    addresses: tuple[InterfaceAddress, ...] = ()
    vrf: str | None = None
    shutdown: bool = False
    # An L2 port (switchport, a port-switching Huawei/H3C port, family ethernet-switching): it bridges, never routes.
    switchport: bool = False
    filters: tuple[FilterBinding, ...] = ()

    @property
    def own_addresses(self) -> tuple[InterfaceAddress, ...]:
        """The addresses that belong to this interface alone (not a shared virtual gateway)."""
        return tuple(a for a in self.addresses if a.virtual is None)

    @property
    def routed(self) -> bool:
        """The interface forwards IP: it is up, not a bridge port, and has an address of its own."""
        return not self.shutdown and not self.switchport and bool(self.own_addresses)


@dataclass(frozen=True, slots=True)
class ConfigArchive:
    """The device keeps or ships its own configuration archive (IOS ``archive``...)."""

    target: str | None
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class SnmpProbeAnswer:
    """A community the live SNMP agent answered. Only its masked form is kept, never the value."""

    community: str
    length: int
    # Where the word came from: "policy", "hostname", "inventory name", "vendor".
    origin: str
    version: str
    evidence: Evidence
    # True: a harmless SET was accepted; False: refused; None: not tested (no --snmp-write-test).
    write: bool | None = None
    write_detail: str = ""


@dataclass(frozen=True, slots=True)
class SnmpProbe:
    """The live probe of a host's SNMP agent with weak and default communities.

    ``alive`` is True when the silence of the dictionary means "refused": the inventory's
    credential answered before and after it (or, without one, the SNMPv3 engine answered),
    or a tried community answered. ``status`` is the probe's word for it (alive, unproven,
    silent, closed...: scanner/snmp/probe.py). ``reason`` says why the probe is not
    conclusive, or how the agent showed it is alive.
    """

    agent: str
    alive: bool
    tried: int
    answered: tuple[SnmpProbeAnswer, ...]
    reason: str
    evidence: Evidence
    write_tested: bool = False
    probed_at: str | None = None
    status: str = ""

    @property
    def no_agent(self) -> bool:
        """Nothing listens on the agent's port (ICMP port unreachable): no community can answer there."""
        return self.status == "closed" and not self.answered

    @property
    def conclusive(self) -> bool:
        return bool(self.answered) or self.alive


@dataclass
class Facts:
    host: str
    platform: PlatformInfo
    hostname: str | None = None
    version: str | None = None
    model: str | None = None
    # Chassis serial numbers (show version): neighbours may name a device by serial.
    serials: list[str] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    snmp_communities: list[SnmpCommunity] = field(default_factory=list)
    accounts: list[LocalAccount] = field(default_factory=list)
    password_policy: PasswordPolicy | None = None
    log_hosts: list[LogHost] = field(default_factory=list)
    # Set when the device sends no log to its log hosts whatever they are (Huawei/H3C
    # ``undo info-center enable``, IOS ``no logging on`` / ``no logging trap``).
    logging_off: Evidence | None = None
    power_supplies: list[PowerSupply] = field(default_factory=list)
    neighbors: list[Neighbor] = field(default_factory=list)
    archives: list[ConfigArchive] = field(default_factory=list)
    ssh: SshServer | None = None
    # The device baseline (issue 16); each list is empty when the platform found nothing.
    login_lockouts: list[LoginLockout] = field(default_factory=list)
    idle_timeouts: list[IdleTimeout] = field(default_factory=list)
    time_sync: TimeSync | None = None
    log_timestamps: list[LogTimestamps] = field(default_factory=list)
    change_logs: list[ChangeLog] = field(default_factory=list)
    management_access: list[ManagementAccess] = field(default_factory=list)
    interfaces: list[Interface] = field(default_factory=list)
    # The IPv4 ARP table, when the snapshot has one (scanner.arptable keeps it compact).
    arp: ArpTable | None = None
    # Access lists, where they are used, and whether the device routes (scanner.aclfacts).
    access: AccessFacts | None = None
    # Servers only (platform kind "host"): accounts, password rules, listeners, patches...
    host_state: HostState | None = None
    # The live SNMP probe of this host (snmp_probe.json), when one was made.
    snmp_probe: SnmpProbe | None = None
    # The configuration as user rules read it; kept only while the host's checks run.
    config_view: ConfigView | None = None
    unavailable: dict[str, str] = field(default_factory=dict)
    # Why the configuration is not recognisably whole (cut short, a section only), None when it is.
    # A verdict that rests on a line being absent cannot be drawn from it: the engine turns every
    # verdict of a configuration check into ``error`` except a failure shown by a line present.
    config_incomplete: str | None = None
    # The same for a fact family read from a source that is not recognisably whole (a Windows
    # host's secpol.inf cut short): family -> why. Checks that need it keep only present failures.
    incomplete: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def services_named(self, *names: str) -> list[Service]:
        return [s for s in self.services if s.name in names]

    def missing(self, family: str, reason: str) -> None:
        """Mark a fact family as unavailable; the first reason given wins."""
        self.unavailable.setdefault(family, reason)
