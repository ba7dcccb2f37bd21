"""IP records from NetBox, read through pynetbox (the ``netbox`` extra).

NetBox's prefixes are the plan (their zone from a field the policy names: the prefix's
role by default), its IP addresses the allocations (device or VM and interface from the
assigned object, the DNS name otherwise; a role of anycast/VIP/VRRP/HSRP/GLBP/CARP marks an
address shared by design), and its IP ranges the pools. The API token comes from an
environment variable and is registered as a secret before the first request, so no log
line or error message can carry it.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from typing import Any

from scanner.masking import Secret
from scanner.network.ipam.records import (
    POOL_WORDS,
    SHARED_WORDS,
    AllocatedRange,
    Allocation,
    IpRecords,
    Origin,
    PlannedPrefix,
    RecordsError,
    address_key,
    mentions,
    network_bounds,
)

_SHARED_ROLES = frozenset({"anycast", "vip", "vrrp", "hsrp", "glbp", "carp"})


@dataclass(frozen=True)
class NetboxSettings:
    url: str
    token_env: str
    zone_field: str = "role"
    timeout: float = 30.0
    verify_tls: bool = True


def read_netbox(settings: NetboxSettings) -> IpRecords:
    """Every prefix, IP address and IP range of the NetBox at ``settings.url``."""
    try:
        import pynetbox
        import requests
    except ImportError:
        raise RecordsError(
            "ipam.netbox needs pynetbox: pip install 'netcomply[netbox]' (or pip install pynetbox)"
        ) from None
    token_value = os.environ.get(settings.token_env, "")
    if not token_value:
        raise RecordsError(f"ipam.netbox: set the NetBox API token in the environment variable {settings.token_env}")
    token = Secret(token_value)
    api = pynetbox.api(settings.url, token=token.reveal())
    api.http_session = _session(settings.timeout)
    api.http_session.verify = settings.verify_tls
    where = settings.url.rstrip("/")
    try:
        prefixes = [_prefix(p, settings.zone_field, where) for p in api.ipam.prefixes.all()]
        addresses = [a for a in (_allocation(r, where) for r in api.ipam.ip_addresses.all()) if a is not None]
        ranges = [r for r in (_range(x, where) for x in api.ipam.ip_ranges.all()) if r is not None]
    except pynetbox.RequestError as exc:
        raise RecordsError(f"NetBox {where}: {_first_line(str(exc))}") from None
    except requests.RequestException as exc:
        raise RecordsError(f"NetBox {where}: cannot reach the API ({type(exc).__name__}: {exc})") from None
    except (ValueError, AttributeError, KeyError, TypeError) as exc:
        raise RecordsError(f"NetBox {where}: unexpected API answer ({type(exc).__name__}: {exc})") from None
    pools = list(ranges)
    for prefix in prefixes:
        if mentions(prefix.purpose, POOL_WORDS):
            first, last = network_bounds(prefix.network)
            pools.append(AllocatedRange(first, last, f"{prefix.network} ({prefix.purpose})", prefix.origin))
    return IpRecords(
        source=f"NetBox {where}", prefixes=tuple(prefixes), allocations=tuple(addresses), ranges=tuple(pools)
    )


def _session(timeout: float) -> Any:
    """A requests session whose every request has a timeout (pynetbox sets none)."""
    import requests

    class TimeoutSession(requests.Session):
        def request(self, method: Any, url: Any, *args: Any, **kwargs: Any) -> Any:
            kwargs.setdefault("timeout", timeout)
            return super().request(method, url, *args, **kwargs)

    return TimeoutSession()


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


def _name(value: Any) -> str | None:
    """The name of a nested object (vrf, role, tenant...), or the value of a choice field."""
    if value is None:
        return None
    for attribute in ("name", "value", "slug"):
        found = getattr(value, attribute, None)
        if found:
            return str(found)
    if isinstance(value, dict):
        return str(value.get("name") or value.get("value") or value.get("slug") or "") or None
    return str(value) or None


def _choice(value: Any) -> str:
    """A choice field ({"value": "active", "label": "Active"}) or a plain string, as its value."""
    if value is None:
        return ""
    found = getattr(value, "value", None)
    if found is None and isinstance(value, dict):
        found = value.get("value")
    return str(found if found is not None else value)


def _origin(kind: str, record: Any, where: str) -> Origin:
    """The object's API endpoint and id (evidence paths are files: a URL has no place there)."""
    return Origin(f"NetBox {where} ipam/{kind}", int(record.id))


def _zone(record: Any, field: str) -> str | None:
    if field in ("role", "tenant", "site", "vlan_group", "scope", "vlan"):
        return _name(getattr(record, field, None))
    custom = getattr(record, "custom_fields", None) or {}
    value = custom.get(field) if isinstance(custom, dict) else None
    return _name(value) if value is not None else None


def _prefix(record: Any, zone_field: str, where: str) -> PlannedPrefix:
    network = ipaddress.ip_network(str(record.prefix))
    vrf = _name(record.vrf)
    zone = _zone(record, zone_field)
    purpose = str(getattr(record, "description", "") or "")
    return PlannedPrefix(network, zone, purpose, vrf, _origin("prefixes", record, where))


def _allocation(record: Any, where: str) -> Allocation | None:
    interface = ipaddress.ip_interface(str(record.address))
    assigned = getattr(record, "assigned_object", None)
    host = ""
    port = ""
    if assigned is not None:
        port = str(getattr(assigned, "name", "") or "")
        owner = getattr(assigned, "device", None) or getattr(assigned, "virtual_machine", None)
        host = _name(owner) or ""
    host = host or str(getattr(record, "dns_name", "") or "")
    role = _choice(getattr(record, "role", None)).casefold()
    status = _choice(getattr(record, "status", None))
    purpose = str(getattr(record, "description", "") or "")
    vrf = _name(record.vrf)
    return Allocation(
        address=interface.ip,
        host=host,
        interface=port,
        zone=None,
        purpose=" ".join(x for x in (purpose, f"({status})" if status and status != "active" else "") if x),
        vrf=vrf,
        origin=_origin("ip-addresses", record, where),
        shared=role in _SHARED_ROLES or mentions(purpose, SHARED_WORDS),
        prefixlen=interface.network.prefixlen,
    )


def _range(record: Any, where: str) -> AllocatedRange | None:
    first = ipaddress.ip_interface(str(record.start_address)).ip
    last = ipaddress.ip_interface(str(record.end_address)).ip
    purpose = str(getattr(record, "description", "") or "")
    label = f"{first}-{last}" + (f" ({purpose})" if purpose else "")
    return AllocatedRange(address_key(first), address_key(last), label, _origin("ip-ranges", record, where))


def settings_from(section: dict[str, Any]) -> NetboxSettings | None:
    url = section.get("url")
    if not url:
        return None
    return NetboxSettings(
        url=str(url),
        token_env=str(section.get("token_env") or "NETBOX_TOKEN"),
        zone_field=str(section.get("zone_field") or "role"),
        timeout=float(section.get("timeout") or 30.0),
        verify_tls=bool(section.get("verify_tls", True)),
    )
