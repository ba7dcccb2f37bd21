"""Access-list fixes in each vendor's syntax (``Platform.fix`` falls back to these for its ``acl_dialect``).

ACL fixes need more than a template: a Huawei list is entered by number or by name, a
zone filter has one deny per pair of zone prefixes, written as a wildcard (IOS, VRP) or
a prefix (NX-OS, EOS, Junos). So each key is a function of its parameters here. Keys:

* ``acl_define`` (``name``, ``context``): a skeleton of the list a use names but nobody defined;
* ``acl_rule_placeholder`` (``name``): a specific permit to write in place of a permit-any line;
* ``zone_filter`` (``name``, ``interface``, ``direction``, ``sources``, ``destinations``,
  ``source_zone``, ``destination_zone``, ``existing``, ``edit``, ``remove``, ``bind``): deny the
  traffic from one zone to the other on an interface, keeping what the list already
  allows: a new list bound to the interface, or (``existing``) the list already there,
  entered with ``edit``, its permit-everything lines (``remove``) taken out;
* ``zone_policy`` (Junos SRX: ``source_zone``, ``destination_zone``, ``remove``): an explicit
  deny-all policy closing the zone pair.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence

Fix = Callable[..., tuple[str, ...]]


def _wildcard(network: str) -> str:
    net = ipaddress.ip_network(network, strict=False)
    if net.prefixlen == net.max_prefixlen:
        return f"host {net.network_address}"
    if net.prefixlen == 0:
        return "any"
    return f"{net.network_address} {net.hostmask}"


def _vrp_address(network: str) -> str:
    net = ipaddress.ip_network(network, strict=False)
    if net.prefixlen == 0:
        return "any"
    return f"{net.network_address} {net.hostmask if net.prefixlen < net.max_prefixlen else 0}"


def _cisco_zone(dialect: str) -> Fix:
    prefix_form = dialect in ("nxos", "eos")

    def address(network: str) -> str:
        return network if prefix_form else _wildcard(network)

    def fix(
        *,
        name: str,
        interface: str,
        direction: str,
        sources: Sequence[str],
        destinations: Sequence[str],
        source_zone: str,
        destination_zone: str,
        edit: Sequence[str] = (),
        remove: Sequence[str] = (),
        existing: bool = False,
        bind: bool = True,
        **_: object,
    ) -> tuple[str, ...]:
        header = tuple(edit) or (
            (f"ip access-list extended {name}",) if dialect == "ios" else (f"ip access-list {name}",)
        )
        lines = [*header, *remove]
        lines.append(f" remark {source_zone} to {destination_zone}: permit the flows needed above this line")
        lines.extend(f" deny ip {address(s)} {address(d)} log" for s in sources for d in destinations)
        if remove or not existing:
            # What the zone may still send elsewhere (the list filters all of the interface's traffic).
            lines.append(f" remark other sources arriving on {interface} are dropped: permit them here if needed")
            lines.extend(f" permit ip {address(s)} any" for s in sources)
        if not existing and bind:
            lines += [f"interface {interface}", f" ip access-group {name} {direction}"]
        return tuple(lines)

    return fix


def _vrp_zone(vendor: str) -> Fix:
    def fix(
        *,
        name: str,
        interface: str,
        direction: str,
        sources: Sequence[str],
        destinations: Sequence[str],
        source_zone: str,
        destination_zone: str,
        edit: Sequence[str] = (),
        remove: Sequence[str] = (),
        existing: bool = False,
        bind: bool = True,
        **_: object,
    ) -> tuple[str, ...]:
        if edit:
            header = tuple(edit)
        elif vendor == "huawei":
            header = (f"acl name {name} advance",)
        else:
            header = (f"acl advanced name {name}",)
        lines = [*header, *remove]
        if not existing:
            lines.append(f" description {source_zone} to {destination_zone}: rules permitting needed flows go first")
        lines.extend(
            f" rule deny ip source {_vrp_address(s)} destination {_vrp_address(d)}"
            for s in sources
            for d in destinations
        )
        if not existing and bind:
            bound = "inbound" if direction == "in" else "outbound"
            if vendor == "huawei":
                lines += [f"interface {interface}", f" traffic-filter {bound} acl name {name}"]
            else:
                lines += [f"interface {interface}", f" packet-filter name {name} {bound}"]
        return tuple(lines)

    return fix


def _junos_zone(
    *,
    name: str,
    interface: str,
    direction: str,
    sources: Sequence[str],
    destinations: Sequence[str],
    source_zone: str,
    destination_zone: str,
    remove: Sequence[str] = (),
    existing: bool = False,
    bind: bool = True,
    **_: object,
) -> tuple[str, ...]:
    base = f"set firewall family inet filter {name}"
    term = f"DENY-{source_zone}-TO-{destination_zone}".upper()
    lines = list(remove)
    lines.extend(f"{base} term {term} from source-address {s}" for s in sources)
    lines.extend(f"{base} term {term} from destination-address {d}" for d in destinations)
    lines.append(f"{base} term {term} then discard")
    lines.extend(f"{base} term REST-{source_zone.upper()} from source-address {s}" for s in sources)
    lines.append(f"{base} term REST-{source_zone.upper()} then accept")
    if not existing and bind:
        physical, _, unit = interface.rpartition(".")
        word = "input" if direction == "in" else "output"
        lines.append(f"set interfaces {physical or interface} unit {unit or '0'} family inet filter {word} {name}")
    return tuple(lines)


def _srx_zone(*, source_zone: str, destination_zone: str, remove: Sequence[str] = (), **_: object) -> tuple[str, ...]:
    """A stateful SRX: the catch-all permit policy goes, and an explicit deny closes the zone pair."""
    base = f"set security policies from-zone {source_zone} to-zone {destination_zone} policy DENY-ALL"
    return (
        *remove,
        f"{base} match source-address any",
        f"{base} match destination-address any",
        f"{base} match application any",
        f"{base} then deny",
        f"{base} then log session-init",
    )


def _define(dialect: str) -> Fix:
    def fix(*, name: str, context: str = "interface", **_: object) -> tuple[str, ...]:
        login = context in ("login", "snmp", "management")
        if dialect == "ios":
            if login or (name.isdigit() and int(name) < 100):
                return (f"ip access-list standard {name}", " permit <management-subnet> <wildcard>", " deny any log")
            return (
                f"ip access-list extended {name}",
                " permit <protocol> <source> <wildcard> <destination> <wildcard>",
                " deny ip any any log",
            )
        if dialect in ("nxos", "eos"):
            rule = (
                " permit ip <management-subnet>/<length> any"
                if login
                else " permit <protocol> <source>/<length> <destination>/<length>"
            )
            return (f"ip access-list {name}", rule, " deny ip any any log")
        if dialect in ("huawei", "h3c"):
            basic = login or (name.isdigit() and 2000 <= int(name) <= 2999)
            if name.isdigit():
                header = (
                    f"acl number {name}" if dialect == "huawei" else f"acl {'basic' if basic else 'advanced'} {name}"
                )
            else:
                header = (
                    f"acl name {name} {'basic' if basic else 'advance'}"
                    if dialect == "huawei"
                    else (f"acl {'basic' if basic else 'advanced'} name {name}")
                )
            rule = (
                " rule permit source <management-subnet> <wildcard>"
                if basic
                else (" rule permit <protocol> source <source> <wildcard> destination <destination> <wildcard>")
            )
            return (header, rule, " rule deny" if basic else " rule deny ip")
        if dialect == "junos":
            base = f"set firewall family inet filter {name}"
            return (
                f"{base} term ALLOWED from source-address <prefix>",
                f"{base} term ALLOWED then accept",
                f"{base} term DEFAULT then discard",
            )
        return ()

    return fix


def _placeholder(dialect: str) -> Fix:
    def fix(*, name: str = "", **_: object) -> tuple[str, ...]:
        if dialect == "ios":
            return (" permit <protocol> <source> <wildcard> <destination> <wildcard> eq <port>",)
        if dialect in ("nxos", "eos"):
            return (" permit <protocol> <source>/<length> <destination>/<length> eq <port>",)
        if dialect in ("huawei", "h3c"):
            return (
                " rule permit <protocol> source <source> <wildcard> destination <destination> <wildcard> "
                "destination-port eq <port>",
            )
        if dialect == "junos":
            base = f"set firewall family inet filter {name} term <NAME>"
            return (
                f"{base} from source-address <prefix>",
                f"{base} from destination-address <prefix>",
                f"{base} then accept",
            )
        return ()

    return fix


FIXES: dict[str, dict[str, Fix]] = {
    dialect: {
        "acl_define": _define(dialect),
        "acl_rule_placeholder": _placeholder(dialect),
        "zone_filter": zone,
    }
    for dialect, zone in (
        ("ios", _cisco_zone("ios")),
        ("nxos", _cisco_zone("nxos")),
        ("eos", _cisco_zone("eos")),
        ("huawei", _vrp_zone("huawei")),
        ("h3c", _vrp_zone("h3c")),
        ("junos", _junos_zone),
    )
}
FIXES["junos"]["zone_policy"] = _srx_zone


def acl_fix(dialect: str | None, key: str, params: dict[str, object]) -> tuple[str, ...] | None:
    """The fix ``key`` for ``dialect``, or None when it has none (so ``Platform.fix`` answers ``()``)."""
    table = FIXES.get(dialect or "")
    if table is None or key not in table:
        return None
    return table[key](**params)
