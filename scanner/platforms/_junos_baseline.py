"""The device baseline (issue 16) as Junos configures it, from the statements in effect.

- lockout: ``system login retry-options``: ``tries-before-disconnect`` (default 10) and
  ``lockout-period`` in minutes (default none: the user is only disconnected).
- idle timeout: per login class (``system login class C idle-timeout N`` minutes); a class
  without one, and the predefined classes (super-user, operator, read-only, unauthorized),
  never time a session out. Judged for every class given to a configured user; root (no class,
  console) is not one.
- time stamps: every syslog message carries the date and time.
- NTP: ``system ntp server A [key N]``; a server is authenticated when its key is a
  ``trusted-key`` with an ``authentication-key`` defined.
- change log: a syslog file or host receiving ``change-log`` or ``interactive-commands`` (or
  ``any``) at info level or more, or ``system accounting events change-log`` to a server.
- SSH: ``system services ssh``; version 2 only unless ``protocol-version v1``.
- management access: the routing engine's services are guarded by the input filters
  (``filter input`` / ``input-list``) of the master instance's ``lo0`` unit (``lo0.0`` unless a
  routing instance claims it; a unit in a routing instance guards that instance only) for each
  address family: IPv4 by the ``family inet`` filter, IPv6 (judged when any interface has
  ``family inet6``) by the ``family inet6`` one (``JunosBaseline._routing_engine``), named here
  and judged on the ACL model, which reads the firewall filters (``scanner/platforms/_acl/junos.py``);
  a protocol-independent filter (``family any``), which the model does not read, is named as
  not analysed. An SNMP community answers every
  source until ``clients`` (or ``client-list-name``) restrict it: the clients become source
  lists of the model's kind on the access point, one per address family (IPv4 and IPv6
  clients are both judged), longest prefix first (Junos matches the longest), ``restrict`` a
  deny, and a source no prefix of its family holds refused (``_client_lists``).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from scanner.aclfacts import FAMILY_NAMES, AccessList, AclFamily, AclLine
from scanner.configtree import Line
from scanner.facts import (
    ChangeLog,
    Facts,
    FamilyLists,
    IdleTimeout,
    LoginLockout,
    LogTimestamps,
    ManagementAccess,
    NtpServer,
    SshServer,
    TimeSync,
)
from scanner.headerspace import HeaderSpace, cube
from scanner.masking import Secret
from scanner.model import Evidence
from scanner.platforms._acl.build import AddressError, prefix

LineEvidence = Callable[[Line], Evidence]

PREDEFINED_CLASSES = {"super-user": "all", "operator": "clear network reset trace view", "read-only": "view"}
_DEFAULT_TRIES = 10
# Syslog levels that include informational messages (where configuration change records are).
_INFO_LEVELS = {"any", "info"}
_CHANGE_FACILITIES = {"change-log", "interactive-commands"}
# The vendor defaults that decide the routing engine's paths (see JunosBaseline._routing_engine).
_NO_FILTER = "no input filter on lo0: the routing engine accepts its services from any source"
_NO_INET_FILTER = "no inet input filter on lo0: the routing engine accepts IPv4 from any source"
_NO_INET6_FILTER = "no inet6 input filter on lo0: the routing engine accepts IPv6 from any source"
_NO_IPV6 = "no interface has family inet6: IPv6 is not configured, only IPv4 reaches the routing engine"
_FAMILY_WORDS: dict[AclFamily, str] = {"ipv4": "inet", "ipv6": "inet6"}
# The family of a filter bound under ``family W`` on a unit; ``any``: protocol-independent.
_LOOPBACK_FAMILIES: dict[str, AclFamily | Literal["any"]] = {"inet": "ipv4", "inet6": "ipv6", "any": "any"}
_REMOTE_SERVICES = {"ssh", "telnet", "netconf", "web-management", "ftp", "rest", "xnm-clear-text", "xnm-ssl"}


def unquote(word: str) -> str:
    return word[1:-1] if len(word) >= 2 and word[0] == word[-1] == '"' else word


def _matches(word: str, name: str) -> bool:
    """Whether a path word names ``name``: itself, or a group's ``<lo*>`` wildcard that matches it."""
    if word.startswith("<") and word.endswith(">"):
        return fnmatch.fnmatchcase(name, word[1:-1])
    return word == name


@dataclass(frozen=True, slots=True)
class _LoopbackFilter:
    """An input filter (or ``input-list``) bound to a lo0 unit: ``unit`` as written (a group may
    give a ``<*>`` wildcard), ``family`` ``ipv4``/``ipv6``, or ``any`` for a protocol-independent
    filter; ``inherited`` when a configuration group gives it."""

    unit: str
    family: AclFamily | Literal["any"]
    names: tuple[str, ...]
    line: Line
    inherited: bool


@dataclass
class JunosBaseline:
    """Collects the baseline statements while the platform walks the configuration (``add``), then concludes."""

    # Every value is kept with its words (the path below "system", groups prefix removed) and line.
    retry: dict[str, tuple[str, Line]] = field(default_factory=dict)
    class_timeouts: dict[str, tuple[str, Line]] = field(default_factory=dict)
    ntp_servers: list[tuple[list[str], Line]] = field(default_factory=list)
    trusted_keys: set[str] = field(default_factory=set)
    defined_keys: set[str] = field(default_factory=set)
    syslog: list[tuple[list[str], Line]] = field(default_factory=list)
    accounting: list[tuple[list[str], Line]] = field(default_factory=list)
    ssh: Line | None = None
    ssh_versions: dict[str, Line] = field(default_factory=dict)
    services: dict[str, Line] = field(default_factory=dict)
    # Every lo0 input filter (or input-list) bound, the lo0 units configured (their first line),
    # the units routing instances claim (unit -> instance and its line), and the first statement
    # giving an interface family inet6 (an address line preferred: its first word after inet6).
    loopback_filters: list[_LoopbackFilter] = field(default_factory=list)
    loopback_units: dict[str, Line] = field(default_factory=dict)
    instance_loopbacks: dict[str, tuple[str, Line]] = field(default_factory=dict)
    ipv6: tuple[str, Line] | None = None
    # community -> client prefixes with "restrict" or not; client lists by name
    snmp_clients: dict[str, list[tuple[str, bool, Line]]] = field(default_factory=dict)
    snmp_client_lists: dict[str, list[tuple[str, bool, Line]]] = field(default_factory=dict)

    def add(self, path: list[str], line: Line) -> None:
        """One statement in effect (``path``: its words, a group's prefix removed)."""
        head = path[0]
        if head == "system":
            self._system(path, line)
        elif head == "interfaces":
            self._interface([unquote(w) for w in path[1:]], line)
        elif head == "routing-instances":
            words = [unquote(w) for w in path[1:]]
            if len(words) > 2 and words[1] == "interface" and words[2].startswith("lo0."):
                self.instance_loopbacks.setdefault(words[2][4:], (words[0], line))
        elif head == "snmp":
            self._snmp([unquote(w) for w in path[1:]], line)

    def _interface(self, words: list[str], line: Line) -> None:
        """An ``lo0`` unit and its input filters, and the first statement that gives an interface
        ``family inet6``."""
        if "family" in words and words.index("family") + 1 < len(words):
            at = words.index("family")
            family, rest = words[at + 1], words[at + 2 :]
            if family == "inet6" and (self.ipv6 is None or (rest[:1] == ["address"] and self.ipv6[0] != "address")):
                self.ipv6 = (rest[0] if rest else "", line)
        if len(words) > 2 and words[1] == "unit" and _matches(words[0], "lo0"):
            self._loopback(words[2], words[3:], line)

    def _loopback(self, unit: str, words: list[str], line: Line) -> None:
        """``unit N family inet|inet6|any filter input F`` (or ``input-list [ A B ]``), and ``unit N
        filter input F``: the protocol-independent filter as an MX binds it, under the unit itself."""
        if not unit.startswith("<"):
            self.loopback_units.setdefault(unit, line)
        family: AclFamily | Literal["any"] | None = "any"
        if words[:1] == ["family"] and len(words) > 1:
            family, words = _LOOPBACK_FAMILIES.get(words[1]), words[2:]
        if family is None or len(words) < 3 or words[0] != "filter" or words[1] not in ("input", "input-list"):
            return
        # input-list [ A B ]: the brackets are no filter's name.
        names = tuple(w.strip("[]") for w in words[2:] if w.strip("[]"))
        inherited = line.text.startswith("set groups ")
        self.loopback_filters.append(_LoopbackFilter(unit, family, names, line, inherited))

    def _system(self, path: list[str], line: Line) -> None:
        words = [unquote(w) for w in path[1:]]
        if len(words) < 2:
            return
        key = words[0]
        if key == "login" and words[1] == "retry-options" and len(words) > 3:
            self.retry[words[2]] = (words[3], line)
        elif key == "login" and words[1] == "class" and len(words) > 4 and words[3] == "idle-timeout":
            self.class_timeouts[words[2]] = (words[4], line)
        elif key == "ntp":
            self._ntp(words, line)
        elif key == "syslog" and len(words) > 3 and words[1] in ("file", "host"):
            self.syslog.append((words, line))
        elif key == "accounting" and words[1] == "events":
            self.accounting.append((words, line))
        elif key == "services" and words[1] == "ssh":
            self.ssh = self.ssh or line
            self.services.setdefault("ssh", line)
            if len(words) > 3 and words[2] == "protocol-version":
                self.ssh_versions[words[3]] = line
        elif key == "services" and words[1] in _REMOTE_SERVICES:
            self.services.setdefault(words[1], line)

    def _snmp(self, words: list[str], line: Line) -> None:
        """``snmp community C clients P [restrict]``, ``... client-list-name L``, ``snmp client-list L P``."""
        if len(words) > 3 and words[0] == "community" and words[2] == "clients":
            self.snmp_clients.setdefault(words[1], []).append((words[3], "restrict" in words[4:], line))
        elif len(words) > 3 and words[0] == "community" and words[2] == "client-list-name":
            self.snmp_clients.setdefault(words[1], []).append((f"list:{words[3]}", False, line))
        elif len(words) > 2 and words[0] == "client-list":
            self.snmp_client_lists.setdefault(words[1], []).append((words[2], "restrict" in words[3:], line))

    def _ntp(self, words: list[str], line: Line) -> None:
        if words[1] == "server" and len(words) > 2:
            self.ntp_servers.append((words, line))
        elif words[1] == "trusted-key":
            self.trusted_keys.update(w for w in words[2:] if w.isdigit())
        elif words[1] == "authentication-key" and len(words) > 2:
            self.defined_keys.add(words[2])

    def finish(self, facts: Facts, users: Mapping[str, tuple[str | None, Line]], evidence: LineEvidence) -> None:
        """``users``: each configured user's login class and the line that defines the user."""
        facts.login_lockouts.append(self._lockout(evidence))
        facts.idle_timeouts.extend(self._idle(users, evidence))
        facts.log_timestamps.append(
            LogTimestamps(
                "log", True, "Junos stamps every syslog message with the date and time", None, "Junos default"
            )
        )
        facts.time_sync = self._time_sync(evidence)
        facts.change_logs.extend(self._change_logs(evidence))
        facts.ssh = self._ssh(evidence)
        self._management(facts, evidence)

    def _lockout(self, evidence: LineEvidence) -> LoginLockout:
        tries, lockout = self.retry.get("tries-before-disconnect"), self.retry.get("lockout-period")
        defaults = []
        attempts = _int(tries[0]) if tries is not None else None
        if attempts is None:
            attempts = _DEFAULT_TRIES
            defaults.append(f"Junos default: disconnected after {_DEFAULT_TRIES} tries (no tries-before-disconnect)")
        lock = 0
        if lockout is not None:
            lock = (_int(lockout[0]) or 0) * 60
        else:
            defaults.append("Junos default: no lockout-period, the user is only disconnected")
        shown = tuple(evidence(found[1]) for found in (tries, lockout) if found is not None)
        return LoginLockout("system login retry-options", attempts, lock, shown, "; ".join(defaults))

    def _idle(self, users: Mapping[str, tuple[str | None, Line]], evidence: LineEvidence) -> list[IdleTimeout]:
        by_class: dict[str, list[str]] = {}
        first_line: dict[str, Line] = {}
        for user, (login_class, line) in users.items():
            if user != "root" and login_class:
                by_class.setdefault(login_class, []).append(user)
                first_line.setdefault(login_class, line)
        timeouts = []
        for login_class, members in sorted(by_class.items()):
            found = self.class_timeouts.get(login_class)
            session = f"login class {login_class}"
            if found is None:
                kind = "predefined class" if login_class in PREDEFINED_CLASSES else "class"
                default = f"Junos default: {kind} {login_class} has no idle-timeout, sessions never time out"
                shown = evidence(first_line[login_class])
                timeouts.append(IdleTimeout(session, None, shown, default, login_class, tuple(members)))
                continue
            seconds = (_int(found[0]) or 0) * 60 or None
            timeouts.append(IdleTimeout(session, seconds, evidence(found[1]), "", login_class, tuple(members)))
        return timeouts

    def _time_sync(self, evidence: LineEvidence) -> TimeSync:
        servers = []
        notes = []
        for words, line in self.ntp_servers:
            address, options = words[2], words[3:]
            if address.startswith("127."):
                notes.append(f"line {line.lineno}: {address} is the device's own clock, not a time server")
                continue
            key = _after(options, "key")
            vrf = _after(options, "routing-instance")
            if key is None:
                servers.append(NtpServer(address, evidence(line), False, "no key on the server", vrf))
            elif key not in self.trusted_keys:
                servers.append(NtpServer(address, evidence(line), False, f"key {key} is not a trusted-key", vrf))
            elif key not in self.defined_keys:
                servers.append(NtpServer(address, evidence(line), False, f"key {key} has no authentication-key", vrf))
            else:
                servers.append(NtpServer(address, evidence(line), True, f"key {key}, trusted", vrf))
        return TimeSync(tuple(servers), notes=tuple(notes))

    def _change_logs(self, evidence: LineEvidence) -> list[ChangeLog]:
        logs = []
        for words, line in self.syslog:
            # syslog file NAME FACILITY LEVEL / syslog host HOST FACILITY LEVEL
            if len(words) < 5:
                continue
            facility, level = words[3], words[4]
            if level not in _INFO_LEVELS or (facility not in _CHANGE_FACILITIES and facility != "any"):
                continue
            where = f"syslog {words[1]} {words[2]}"
            logs.append(ChangeLog(f"syslog {facility} {level}", True, True, (evidence(line),), where=where))
        for words, line in self.accounting:
            if set(words[2:]) & _CHANGE_FACILITIES:
                logs.append(
                    ChangeLog("system accounting events", True, True, (evidence(line),), where="accounting servers")
                )
        return logs

    def _ssh(self, evidence: LineEvidence) -> SshServer:
        if self.ssh is None:
            return SshServer(
                ("2",), None, "Junos default: SSH version 2 only", False, enabled_default="no 'system services ssh'"
            )
        if self.ssh_versions:
            versions = tuple(sorted(v.removeprefix("v") for v in self.ssh_versions))
            shown = self.ssh_versions.get("v1") or next(iter(self.ssh_versions.values()))
            return SshServer(versions, evidence(shown), "", True, evidence(self.ssh))
        return SshServer(("2",), None, "Junos default: SSH protocol version 2 only", True, evidence(self.ssh))

    # ---- management access -------------------------------------------------------------------

    def _management(self, facts: Facts, evidence: LineEvidence) -> None:
        if self.services:
            facts.management_access.append(self._routing_engine(evidence))
        for number, community in enumerate(facts.snmp_communities, 1):
            facts.management_access.append(self._community(number, community.value, community.evidence, evidence))

    def _routing_engine(self, evidence: LineEvidence) -> ManagementAccess:
        """The routing engine's services, guarded per address family by the input filters of the
        master instance's lo0 unit.

        What Junos does, from Juniper's documentation:

        - A filter is applied "to a logical interface at a specific protocol level": ``set
          interfaces lo0 unit 0 family (inet | inet6) filter input F`` (or ``input-list``), and
          input filters on the loopback "affect only traffic destined for the Routing Engine"
          ("filter (Applying to a Logical Interface)", juniper.net/documentation/en_US/junos13.1/
          topics/reference/configuration-statement/filter-edit-interfaces-unit-family.html;
          "Applying Firewall Filters to Interfaces", juniper.net/documentation/us/en/software/
          junos/routing-policy/topics/task/firewall-filter-qfx-series-applying-cli.html). Both
          inet and inet6 filters are supported on lo0 ("Firewall Filter Support on Loopback
          Interface", .../routing-policy/topics/concept/firewall-filter-loopback-interface-acx-
          series.html).
        - A filter is of one protocol family: ``family inet`` filters IPv4 packets, ``family
          inet6`` IPv6 packets; one filter per family and direction on an interface; and a packet
          arriving where no filter is applied to its incoming traffic is accepted ("Stateless
          Firewall Filter Components", .../routing-policy/topics/concept/firewall-filter-
          components.html). So an inet filter on lo0 leaves IPv6 to the routing engine
          unfiltered, and an inet6 filter leaves IPv4 so.
        - A logical interface carries a protocol suite only when its family is configured on it
          (``inet6``: IPv6 traffic; "Protocol Family and Interface Address Properties",
          juniper.net/documentation/en_US/junos/topics/topic-map/protocol-family-interface-
          address-properties.html). So the device speaks IPv6 when any interface has ``family
          inet6``, and only then is an IPv6 path judged (the family without an address counts
          too: that it takes no IPv6 on its link is nowhere documented, so a pass may not rest
          on it). IPv4 is judged always, as before.
        - Which unit: the loopback is configured "for the default routing instance or for a
          specific routing instance" ("Configuring a Loopback Interface", juniper.net/
          documentation/en_US/junos13.2/topics/task/configuration/loopback-interface.html), an
          interface no routing instance names being in the default one; "in most cases, do not
          specify a loopback address on any unit other than unit 0", several units being for
          one VRF each ("Configuring the Loopback Interface", .../en_US/junos12.3/topics/usage-
          guidelines/interfaces-configuring-the-loopback-interface.html). A filter on a unit
          placed in a routing instance filters "the traffic of the VRF routing instance
          associated with it"; "the default loopback interface" is lo0.0, of the default
          routing table; filter A on it and B on a VRF's lo0.n: the VRF uses B; A and a VRF
          loopback without a filter: the VRF uses none; A and no VRF loopback: the VRF uses A
          ("Configuring Logical Units on the Loopback Interface for Routing Instances in Layer
          3 VPNs", read in Juniper's Japanese and Korean editions, juniper.net/documentation/
          jp/ja/software/junos/routing-policy/topics/concept/vpns-configuring-logical-units-on-
          the-loopback-interface-for-routing-instances-in-layer-3-vpns.html and .../kr/ko/...).
          Nothing there lets a VRF loopback's filter guard the default instance: the master's
          routing engine is guarded by its own unit only (``_master_unit``), and with no lo0
          unit of its own, by no filter. The same page says EX switches (but the EX9200) and
          QFX5000 switches apply the filters of every loopback unit "to the loopback interface
          as a whole, not per VRF"; which of several then applies is not said, so no pass
          rests on a routing instance's unit there either.
        - A protocol-independent filter (``firewall family any filter F``) is bound on an MX by
          ``filter input F`` directly under the unit, elsewhere under ``family any``; its match
          conditions (forwarding class, interface, interface set, loss priority, packet
          length...) hold no address ("Firewall Filter Match Conditions for Protocol-Independent
          Traffic", .../routing-policy/topics/concept/firewall-filter-match-conditions-for-
          protocol-independent-traffic.html); bound beside a family's own filter, "the
          protocol-independent firewall executes first" ("Guidelines for Applying Standard
          Firewall Filters", .../routing-policy/topics/concept/firewall-filter-stateless-
          guidelines-for-applying.html). So a family whose own filter restricts the sources
          stays restricted (a packet meets both), and one guarded by the protocol-independent
          filter alone is guarded by a filter the ACL model does not read: not judged, and
          said so (``FamilyLists.unanalysed``), neither passed nor failed as unfiltered.

        Each family is one entry of ``by_family``, judged by its own filter(s) on the ACL model
        (the model reads ``firewall family inet6 filter`` as ``ipv6`` lists, ``firewall filter``
        without a family as ``inet``).
        """
        target = f"routing engine ({', '.join(sorted(self.services))})"
        service = evidence(next(iter(self.services.values())))
        unit = self._master_unit()
        families = [self._family_filter("ipv4", unit, service, evidence)]
        if self.ipv6 is not None or any(found.family == "ipv6" for found in self.loopback_filters):
            families.append(self._family_filter("ipv6", unit, service, evidence))
        guarding = [found for found in self.loopback_filters if unit is not None and _matches(found.unit, unit)]
        first = min(guarding, key=lambda found: found.line.lineno, default=None)
        if first is not None:
            shown = evidence(first.line)
        else:
            shown = evidence(self.loopback_units[unit]) if unit is not None else service
        named = [bound for bound in families if bound.lists]
        acl = None
        if named:
            acl = ", ".join(f"{'+'.join(bound.lists)} ({_FAMILY_WORDS[bound.family]})" for bound in named)
            if len(families) == 1:
                acl = "+".join(named[0].lists)
        default = "" if len(families) > 1 else _NO_IPV6
        context = f"lo0.{unit if unit is not None else self._free_unit()}"
        return ManagementAccess("routing-engine", target, acl, shown, context, default, by_family=tuple(families))

    def _master_unit(self) -> str | None:
        """The lo0 unit of the master instance: one no routing instance names, unit 0 when it is
        one (Junos' own advice), else the lowest; None when every lo0 unit is in an instance."""
        free = [unit for unit in self.loopback_units if unit not in self.instance_loopbacks]
        if "0" in free:
            return "0"
        return min(free, key=lambda unit: int(unit) if unit.isdigit() else 1 << 32, default=None)

    def _free_unit(self) -> str:
        """The unit a fix gives the master instance that has none: 0, unless an instance holds it."""
        return next(str(n) for n in range(1 << 16) if str(n) not in self.instance_loopbacks)

    def _bound(self, unit: str, family: AclFamily | Literal["any"]) -> _LoopbackFilter | None:
        """The input filter of ``family`` on lo0 ``unit``: one configured there before one a group gives."""
        found = [f for f in self.loopback_filters if f.family == family and _matches(f.unit, unit)]
        return next((f for f in found if not f.inherited), found[0] if found else None)

    def _family_filter(
        self, family: AclFamily, unit: str | None, service: Evidence, evidence: LineEvidence
    ) -> FamilyLists:
        if unit is not None:
            own = self._bound(unit, family)
            if own is not None:
                return FamilyLists(family, own.names, evidence(own.line))
            independent = self._bound(unit, "any")
            if independent is not None:
                unanalysed = (
                    f"protocol-independent input filter {'+'.join(independent.names)} (family any) on "
                    f"lo0.{unit}: netcomply does not read family any filters, so the sources it lets in "
                    f"over {FAMILY_NAMES[family]} are not judged"
                )
                return FamilyLists(family, (), evidence(independent.line), unanalysed=unanalysed)
        elsewhere = self._instance_filter(family)
        if elsewhere is not None:
            instance, claimed = self.instance_loopbacks[elsewhere.unit]
            where = (
                f"no {_FAMILY_WORDS[family]} input filter on lo0.{unit}, the master instance's loopback"
                if unit is not None
                else "no lo0 unit in the master instance"
            )
            default = (
                f"{where}: the filter on lo0.{elsewhere.unit} guards routing instance {instance} only, and the "
                f"routing engine accepts {FAMILY_NAMES[family]} from any source"
            )
            return FamilyLists(family, (), evidence(elsewhere.line), default, also=(evidence(claimed),))
        if family == "ipv6":
            # Made only for IPv6 in use: shown by the line that puts IPv6 on an interface.
            return FamilyLists(family, (), evidence(self.ipv6[1]) if self.ipv6 else service, _NO_INET6_FILTER)
        if unit is not None and any(_matches(found.unit, unit) for found in self.loopback_filters):
            return FamilyLists(family, (), service, _NO_INET_FILTER)
        return FamilyLists(family, (), service, _NO_FILTER)

    def _instance_filter(self, family: AclFamily) -> _LoopbackFilter | None:
        """A filter of ``family`` (else a protocol-independent one) on a lo0 unit a routing instance holds."""
        held = [found for found in self.loopback_filters if found.unit in self.instance_loopbacks]
        return next((f for f in held if f.family == family), next((f for f in held if f.family == "any"), None))

    def _community(self, number: int, value: Secret, shown: Evidence, evidence: LineEvidence) -> ManagementAccess:
        target = f"SNMP community {number}"
        clients = self.snmp_clients.get(value.reveal(), [])
        if not clients:
            default = "Junos default: a community without clients answers every source"
            return ManagementAccess("snmp", target, None, shown, "", default)
        found: list[_Client] = []
        for client, restrict, line in clients:
            if client.startswith("list:"):
                listed = client[5:]
                statement = f"snmp client-list {listed}"
                found.extend(_Client(p, r, at, statement) for p, r, at in self.snmp_client_lists.get(listed, []))
            else:
                found.append(_Client(client, restrict, line, "snmp community <community> clients"))
        first = evidence(clients[0][2])
        lists = _client_lists(target, found, first, evidence)
        return ManagementAccess("snmp", target, f"{target} clients", first, inline=lists)


@dataclass(frozen=True, slots=True)
class _Client:
    """One client prefix as configured, and the statement that holds it (how a fix names it;
    ``<community>`` stands for the community, which no output shows)."""

    prefix: str
    restrict: bool
    line: Line
    statement: str


def _client_lists(
    target: str, clients: list[_Client], fallback: Evidence, evidence: LineEvidence
) -> tuple[AccessList, ...]:
    """A community's clients as one source list per address family, in the ACL model's terms.

    What Junos does, from Juniper's documentation:

    - ``clients`` (statement reference, ``[edit snmp community community-name]``,
      juniper.net/documentation/en_US/junos13.2/topics/reference/configuration-statement/
      clients-edit-snmp.html): its addresses are the IPv4 *or IPv6* client hosts authorized
      to use the community; ``restrict`` denies the client given; with no ``clients`` at all
      every client is authorized. The 7.1 guide ("Configuring the SNMP Community String")
      says the same: an address is an IPv4 or IPv6 address, not a hostname.
    - The Network Management guide's "SNMP Communities" page (juniper.net/documentation/us/en/
      software/junos/network-mgmt/topics/topic-map/snmp-communities.html) lists the permitted
      prefixes and restricts "all other hosts" with ``clients 0/0 restrict``: the permitted
      prefixes, inside 0/0, still answer, so the most specific prefix holding a source decides.
    - ``client-list-name`` adds the members of an ``snmp client-list`` (or a prefix list) to
      the community (client-list-name reference, same release).

    So a source is judged by the prefixes of its own family, the longest that holds it, and a
    source no prefix holds is not authorized: IPv4-only clients refuse every IPv6 source and
    IPv6-only clients every IPv4 source, while ``::/0`` (without ``restrict``) answers every
    IPv6 source whatever the IPv4 clients say, as ``0.0.0.0/0`` does for IPv4.

    The model's addresses carry no family (``0.0.0.0/0`` and ``::/0`` are the same pattern;
    ``AccessList.family`` gives the width), so each family is a list of its own, ``<target>
    clients`` for IPv4 and ``<target> IPv6 clients``, made for a family that has clients; with
    none readable (a ``client-list-name`` this reader does not resolve, such as a
    ``policy-options prefix-list``) the IPv4 list is there, empty, shown by ``fallback``.
    """
    by_family: dict[AclFamily, list[_Client]] = {}
    for client in clients:
        by_family.setdefault("ipv6" if ":" in client.prefix else "ipv4", []).append(client)
    lists = []
    for family, name in (("ipv4", f"{target} clients"), ("ipv6", f"{target} IPv6 clients")):
        members = by_family.get(family, [])
        if members or (family == "ipv4" and not by_family):
            # Shown by the first prefix it authorizes (what a pass rests on), else its first line.
            chosen = next((m for m in members if not m.restrict), members[0]) if members else None
            shown = evidence(chosen.line) if chosen is not None else fallback
            lists.append(AccessList(name, "clients", family, _client_lines(members, evidence), shown))
    return tuple(lists)


def _client_lines(clients: list[_Client], evidence: LineEvidence) -> tuple[AclLine, ...]:
    """One family's client prefixes as first-match lines: longest prefix first, so the first
    match is Junos' longest match (see :func:`_client_lists` for the semantics and its sources).

    ``restrict`` is a deny; a source no prefix holds matches no line and is refused. The fix of
    an open prefix deletes it where it is written (the community's ``clients`` or the named
    ``snmp client-list``) and, for the whole address space, restricts it instead.
    """
    lines = []
    for client in clients:
        try:
            address = prefix(_expand(client.prefix))
        except (AddressError, ValueError):
            continue
        remove = (f"delete {client.statement} {client.prefix}",)
        if address[1] == 0 and client.statement.startswith("snmp community"):
            remove = (*remove, f"set {client.statement} {client.prefix} restrict")
        space = HeaderSpace.of([cube(src=address)])
        lines.append(
            AclLine("deny" if client.restrict else "permit", space, evidence(client.line), client.prefix, remove=remove)
        )
    return tuple(sorted(lines, key=lambda found: -bin(found.space.cubes[0][3]).count("1")))


def _expand(text: str) -> str:
    """Junos' short IPv4 prefixes (``0/0``, ``10/8``, ``172.16/12``) written out; others as they are."""
    address, _, length = text.partition("/")
    if ":" in address or not length or address.count(".") >= 3 or not address.replace(".", "").isdigit():
        return text
    return f"{address}{'.0' * (3 - address.count('.'))}/{length}"


def _after(words: list[str], keyword: str) -> str | None:
    if keyword in words and words.index(keyword) + 1 < len(words):
        return words[words.index(keyword) + 1]
    return None


def _int(word: str | None) -> int | None:
    return int(word) if word is not None and word.isdigit() else None
