"""Access lists read only as far as the management-access check needs: does a list let any source in?

A stand-in for the vendor-neutral ACL model of issue 17 (``scanner/aclfacts.py``, readers in
``scanner/platforms/_acl``), which reads every line as a header space. Until that model is on
main, these readers find, per list, the first permit line whose source is any address and
that comes before a line denying everything, in the list's evaluation order:

- Cisco style (IOS, NX-OS, EOS): ``access-list N ...`` and ``ip[v6] access-list [standard|extended] NAME``;
  the source is the first address after the action (standard) or after the protocol (extended);
  ``any``, ``0.0.0.0 255.255.255.255`` and ``0.0.0.0/0`` are any.
- VRP / Comware: ``acl [number] N``, ``acl name NAME [N]``, ``acl basic|advanced N|name NAME``;
  a ``rule`` without ``source``, or with ``source any``, permits any source (``match-order
  auto`` orders rules by depth, so a deny of everything ends nothing there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from scanner.configtree import Line
from scanner.facts import SourceList
from scanner.model import Evidence

LineEvidence = Callable[[Line], Evidence]

_ANY = frozenset({"any", "0.0.0.0/0", "::/0", "any4", "any6"})
_STANDARD_NUMBERS = (range(1, 100), range(1300, 2000))
# Protocols no management service is reached over: an entry for them lets nobody log in.
_NOT_LOGIN = frozenset(
    {
        "icmp",
        "icmpv6",
        "igmp",
        "ospf",
        "eigrp",
        "gre",
        "pim",
        "esp",
        "ah",
        "ahp",
        "vrrp",
        "ipinip",
        "nos",
        "pcp",
        "rsvp",
    }
)


def _login_protocol(word: str) -> bool:
    if word.isdigit():
        return word in ("0", "4", "6", "17", "41")
    return word not in _NOT_LOGIN


# ---- Cisco style ----------------------------------------------------------------------------


def cisco_source_lists(roots: Iterable[Line], evidence: LineEvidence) -> dict[str, SourceList]:
    """The numbered and named access lists of an IOS, NX-OS or EOS configuration, by name."""
    numbered: dict[str, list[Line]] = {}
    lists: dict[str, SourceList] = {}
    for line in roots:
        words = line.text.split()
        if words[0] == "access-list" and len(words) > 3:
            numbered.setdefault(words[1], []).append(line)
        elif words[0] in ("ip", "ipv6") and len(words) > 2 and words[1] == "access-list":
            named = _named_cisco(line, words, evidence)
            if named is not None:
                lists[named.name] = named
    for name, entries in numbered.items():
        kind = "standard" if name.isdigit() and any(int(name) in r for r in _STANDARD_NUMBERS) else "extended"
        found = _first_any(((line, line.text.split()[2:]) for line in entries), kind == "standard")
        remove = (f" no {' '.join(found.text.split()[2:])}",) if found is not None else ()
        lists[name] = SourceList(
            name, kind, evidence(entries[0]), _shown(found, evidence), (f"ip access-list {kind} {name}",), remove
        )
    return lists


def _named_cisco(header: Line, words: list[str], evidence: LineEvidence) -> SourceList | None:
    """``ip access-list [standard|extended] NAME`` (NX-OS/EOS ``ip access-list NAME`` is extended)."""
    rest = [w for w in words[2:] if w not in ("resequence",)]
    kind = "extended"
    if rest and rest[0] in ("standard", "extended"):
        kind, rest = rest[0], rest[1:]
    if not rest or rest[0] in ("logging", "log-update", "match-local-traffic", "role-based"):
        return None
    name = rest[0]
    entries = []
    for child in header.children:
        child_words = child.text.split()
        if child_words and child_words[0].isdigit():
            child_words = child_words[1:]
        entries.append((child, child_words))
    found = _first_any(entries, kind == "standard")
    note = "" if entries else "the list has no entries"
    remove = (f" no {_entry_label(found)}",) if found is not None else ()
    return SourceList(name, kind, evidence(header), _shown(found, evidence), (header.text,), remove, note)


def _entry_label(line: Line) -> str:
    """How a sub-command names an entry: its sequence number (``no 20``), else its text (``no permit any``)."""
    words = line.text.split()
    return words[0] if words and words[0].isdigit() else " ".join(words)


def _first_any(entries: Iterable[tuple[Line, list[str]]], standard: bool) -> Line | None:
    """The first permit of any source before a deny of everything, in list order."""
    for line, words in entries:
        if not words or words[0] not in ("permit", "deny"):
            continue
        action, rest = words[0], words[1:]
        if not standard and rest:
            protocol, rest = rest[0], rest[1:]
        else:
            protocol = "ip"
        any_source = bool(rest) and (rest[0] in _ANY or rest[:2] == ["0.0.0.0", "255.255.255.255"])
        if action == "permit" and any_source and _login_protocol(protocol):
            return line
        if action == "deny" and any_source and protocol in ("ip", "ipv6"):
            destination = rest[2:] if rest[:2] == ["0.0.0.0", "255.255.255.255"] else rest[1:]
            if standard or not destination or destination[0] in _ANY:
                return None
    return None


def _shown(line: Line | None, evidence: LineEvidence) -> Evidence | None:
    return evidence(line) if line is not None else None


# ---- VRP / Comware ----------------------------------------------------------------------------


def vrp_source_lists(roots: Iterable[Line], evidence: LineEvidence) -> dict[str, SourceList]:
    """The ``acl`` blocks of a VRP or Comware configuration, by number and by name."""
    lists: dict[str, SourceList] = {}
    for line in roots:
        words = line.text.split()
        if words[0] != "acl" or len(words) < 2:
            continue
        names, kind = _vrp_names(words[1:])
        if not names:
            continue
        found = _vrp_first_any(line)
        remove = (
            (f" undo rule {found.text.split()[1]}",) if found is not None and found.text.split()[1].isdigit() else ()
        )
        note = "" if line.children else "the list has no rules"
        listed = SourceList(names[0], kind, evidence(line), _shown(found, evidence), (line.text,), remove, note)
        for name in names:
            lists[name] = listed
    return lists


def _vrp_names(words: list[str]) -> tuple[list[str], str]:
    """The names a binding may use for ``acl [ipv6] [number|basic|advanced|name] ...``, and the list's kind."""
    if words[0] == "ipv6":
        words = words[1:]
    kind = ""
    if words and words[0] in ("basic", "advanced", "mac", "user"):
        kind, words = words[0], words[1:]
    if words and words[0] == "number":
        words = words[1:]
    names: list[str] = []
    if words and words[0] == "name" and len(words) > 1:
        names.append(words[1])
        names.extend(w for w in words[2:] if w.isdigit())
        kind = kind or next((w for w in words[2:] if w in ("basic", "advanced")), "")
    elif words and words[0].isdigit():
        names.append(words[0])
    numbers = [int(n) for n in names if n.isdigit()]
    if not kind and numbers:
        kind = "basic" if 2000 <= numbers[0] < 3000 else "advanced"
    return names, kind or "basic"


def _vrp_first_any(block: Line) -> Line | None:
    auto = "match-order" in block.text.split() and "auto" in block.text.split()
    for rule in block.children:
        words = rule.text.split()
        if words[:1] != ["rule"]:
            continue
        words = words[1:]
        if words and words[0].isdigit():
            words = words[1:]
        if not words or words[0] not in ("permit", "deny"):
            continue
        source = words[words.index("source") + 1 :] if "source" in words else []
        any_source = not source or source[0] == "any" or source[1:2] == ["255.255.255.255"]
        if words[0] == "permit" and any_source and (len(words) < 2 or _login_protocol(words[1])):
            return rule
        everything = len(words) == 1 or (len(words) == 2 and words[1] in ("ip", "ipv6"))
        if words[0] == "deny" and everything and not auto:
            return None
    return None
