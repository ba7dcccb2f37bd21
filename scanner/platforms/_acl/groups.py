"""Object groups (IOS-XE ``object-group network|service``, NX-OS ``object-group ip address|port``,
Comware 7 ``object-group ip address|service``): named sets of addresses, ports or services.

Groups may nest (``group-object``); a reference to an undefined group, or a cycle,
leaves the entry with the widest match for that field, marked inexact, and the missing
name is reported as an undefined reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.platforms._acl.build import ANY_PORT, ANY_TERNARY, Interval, MatchDraft, Service, Ternary


@dataclass
class ObjectGroups:
    network_members: dict[str, list[Ternary]] = field(default_factory=dict)
    port_members: dict[str, list[Interval]] = field(default_factory=dict)
    service_members: dict[str, list[Service]] = field(default_factory=dict)
    # group -> nested group names (group-object)
    nested: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    # Names used in entries but never defined: (kind, name).
    missing: set[tuple[str, str]] = field(default_factory=set)

    def has_network(self, name: str) -> bool:
        return name in self.network_members

    def has_service(self, name: str) -> bool:
        return name in self.service_members

    def networks(self, name: str, match: MatchDraft) -> list[Ternary]:
        members = self._resolve("network", name, self.network_members, set())
        if members is None:
            match.inexact.append(f"object group {name} is not defined")
            self.missing.add(("network", name))
            return [ANY_TERNARY]
        return members

    def ports(self, name: str, match: MatchDraft) -> list[Interval]:
        members = self._resolve("port", name, self.port_members, set())
        if members is None:
            match.inexact.append(f"port group {name} is not defined")
            self.missing.add(("port", name))
            return [ANY_PORT]
        return members

    def services(self, name: str, match: MatchDraft) -> list[Service]:
        members = self._resolve("service", name, self.service_members, set())
        if members is None:
            match.inexact.append(f"service group {name} is not defined")
            self.missing.add(("service", name))
            return [Service()]
        return members

    def _resolve(self, kind: str, name: str, table: dict, seen: set[str]) -> list | None:  # type: ignore[type-arg]
        if name not in table:
            return None
        if name in seen:
            return []
        seen.add(name)
        found = list(table[name])
        for inner in self.nested.get((kind, name), []):
            members = self._resolve(kind, inner, table, seen)
            if members is None:
                self.missing.add((kind, inner))
                continue
            found.extend(members)
        return found
