"""What the access-list checks share: the lists a device applies, evidence lists kept short."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from scanner.aclfacts import AccessFacts, AccessList, AclUse
from scanner.model import Evidence

# Evidence lines shown for one finding at most (a 10,000-line list can shadow hundreds).
MAX_EVIDENCE = 40
# Lines named in a message at most.
MAX_NAMED = 10


def applied_lists(access: AccessFacts) -> Iterator[tuple[AccessList, list[AclUse]]]:
    """Each defined list that filters traffic somewhere (interface, login, SNMP...), with those uses."""
    seen: dict[int, tuple[AccessList, list[AclUse]]] = {}
    for use in access.uses:
        if not use.filters:
            continue
        found = access.get(use.name, use.family)
        if found is None:
            continue
        seen.setdefault(id(found), (found, []))[1].append(use)
    yield from seen.values()
    if access.zones is not None:
        for policy in access.zones.policies:
            yield policy.rules, []


def all_lists(access: AccessFacts) -> Iterator[AccessList]:
    yield from access.lists.values()
    if access.zones is not None:
        for policy in access.zones.policies:
            yield policy.rules


def short(evidence: Iterable[Evidence]) -> list[Evidence]:
    """Distinct evidence lines in order, at most :data:`MAX_EVIDENCE` (the rest is never made)."""
    out: list[Evidence] = []
    for item in evidence:
        if item not in out:
            out.append(item)
        if len(out) >= MAX_EVIDENCE:
            break
    return out


def unread_entries(lists: Iterable[AccessList]) -> str:
    """``2 entr(ies) not analysed, at line(s) 14, 20``: what a pass over ``lists`` did not read, or ``""``.

    An entry the reader could not analyse may be the very line a check looks for, so a pass
    names them (``AccessList.skipped``).
    """
    unread = [n for found in lists for n in found.skipped]
    if not unread:
        return ""
    return f"{len(unread)} entr(ies) not analysed, at line(s) {', '.join(map(str, unread[:MAX_NAMED]))}"


def where(uses: list[AclUse]) -> str:
    """``applied in on Vlan10, vty 0 4``."""
    if not uses:
        return "between security zones"
    parts = []
    for use in uses:
        direction = f" {use.direction}" if use.direction else ""
        parts.append(f"{use.context}{direction} ({use.target})")
    return "applied " + ", ".join(dict.fromkeys(parts))
