"""One Cisco-style access-list entry (IOS/IOS-XE, NX-OS, EOS) read into a :class:`MatchDraft`.

``[seq] permit|deny PROTOCOL SRC [PORTS] DST [PORTS] [ICMP TYPE] [OPTIONS]`` for extended
and IPv6 entries, ``[seq] permit|deny SRC [log]`` for standard ones. Addresses are
``any``, ``host A``, ``A WILDCARD`` (any wildcard, contiguous or not), ``A/LEN`` (NX-OS,
EOS, IPv6), ``object-group N`` (IOS-XE) or ``addrgroup N`` (NX-OS); ports ``eq P...``,
``neq``, ``lt``, ``gt``, ``range A B`` or ``portgroup N``; a service object group may
stand for the protocol. Options that narrow the match without a field in the model
(``dscp``, ``fragments``, ``time-range``, ``ttl``...) make the entry inexact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from socket import AF_INET, inet_pton

from scanner.aclnames import ANY_PROTOCOL as ANY_PROTOCOL_WORDS
from scanner.aclnames import ICMP_TYPES, port_number, protocol_number
from scanner.headerspace import ACK, FIN, MAX_ICMP, MAX_PORT, PSH, RST, SYN, URG, HeaderSpace
from scanner.platforms._acl.build import (
    ANY_ICMP,
    ANY_PORT,
    ANY_PROTOCOL,
    ANY_TERNARY,
    ESTABLISHED,
    ICMP,
    ICMPV6,
    SCTP,
    TCP,
    UDP,
    AddressError,
    Interval,
    MatchDraft,
    ReadyMatch,
    Service,
    Ternary,
    host,
    port_operator,
    prefix,
    wildcard,
)
from scanner.platforms._acl.groups import ObjectGroups

_PORT_OPERATORS = frozenset({"eq", "neq", "lt", "gt", "range"})
_FLAGS = {"fin": FIN, "syn": SYN, "rst": RST, "psh": PSH, "ack": ACK, "urg": URG}
# Options that do not change which packets match.
_NEUTRAL = frozenset({"log", "log-input", "tracked", "counters", "count", "statistics"})
# Options that narrow the match on a header field the model does not have: (words they take).
_NARROWING = {
    "dscp": 1,
    "precedence": 1,
    "tos": 1,
    "time-range": 1,
    "option": 1,
    "fragments": 0,
    "vlan": 1,
    "udf": 2,
    "ttl": 2,
    "packet-length": 2,
    "hop-limit": 2,
    "flow-label": 1,
    "routing": 0,
    "routing-type": 1,
    "sequence": 1,
    "http-method": 1,
    "nexthop-group": 1,
    "ip-options": 0,
}


class EntryError(ValueError):
    """An entry whose words do not parse (kept as a note, never silently dropped)."""


@dataclass(frozen=True, slots=True)
class Entry:
    action: str
    match: MatchDraft | ReadyMatch
    # The entry only matches while activated (IOS dynamic/lock-and-key, reflexive evaluate).
    conditional: str = ""


# The common shape of an IPv4 entry, read without the general reader (lists run to thousands
# of lines): ACTION PROTOCOL SRC [eq|lt|gt|neq P | range P P] DST [eq|lt|gt|neq P | range P P] [log].
_ADDRESS = r"any|host \d+\.\d+\.\d+\.\d+|\d+\.\d+\.\d+\.\d+ \d+\.\d+\.\d+\.\d+|\d+\.\d+\.\d+\.\d+/\d+"
_PORTS = r"(?:eq|lt|gt|neq) \d+|range \d+ \d+"
_SIMPLE = re.compile(
    rf"^(?P<action>permit|deny) (?P<protocol>ip|tcp|udp|\d+) (?P<src>{_ADDRESS})(?: (?P<sport>{_PORTS}))? "
    rf"(?P<dst>{_ADDRESS})(?: (?P<dport>{_PORTS}))?(?: log| log-input)?$"
)


# Entries read by :func:`simple_entry`, kept by their text: estates are templated, so the same
# entry recurs on hundreds of devices. Bounded (least recently used out); the values are immutable.
SIMPLE_MEMO_SIZE = 8192


def parse_simple(text: str) -> Entry | None:
    """The entry in ``text`` when it has the common shape (numbers only, no options), else None."""
    found = simple_entry(text)
    return None if found is None else Entry(found[0], ReadyMatch(found[1]))


@lru_cache(maxsize=SIMPLE_MEMO_SIZE)
def simple_entry(text: str) -> tuple[str, HeaderSpace, tuple[str]] | None:
    """The action and header space of ``text`` when it has the common shape, else None.

    Its header space is built here, cube by cube, without a :class:`MatchDraft`: the
    draft's field lists and their product cost more than the regular expression. The
    answer depends on the text alone (no object group, no dialect), so it is remembered,
    with the command that removes the entry by its text (IOS: `` no permit ...``).
    """
    found = _SIMPLE.match(text)
    if found is None:
        return None
    action, word, src, sport, dport_text = found.group("action", "protocol", "src", "sport", "dport")
    protocol = _PROTOCOL_WORDS.get(word)
    if protocol is None:
        number = protocol_number(word)
        if number is None:
            return None
        protocol = (number, number)
    if (sport or dport_text) and not (word in ("tcp", "udp") or word in ("6", "17", "132")):
        return None
    try:
        src_value, src_care = _simple_address(src)
        dst_value, dst_care = _simple_address(found["dst"])
    except ValueError:
        return None
    sports = _simple_ports(sport) if sport else _ANY_PORTS
    dports = _simple_ports(dport_text) if dport_text else _ANY_PORTS
    if sports is None or dports is None:
        return None
    low, high = protocol
    src_value &= src_care
    dst_value &= dst_care
    cubes = tuple(
        (low, high, src_value, src_care, dst_value, dst_care, s_low, s_high, d_low, d_high, *_ANY_ICMP_NO_FLAGS)
        for s_low, s_high in sports
        for d_low, d_high in dports
    )
    return action, HeaderSpace(cubes), (f" no {text}",)


_ANY_PORTS = (ANY_PORT,)
# The protocol words most entries use (the others through protocol_number).
_PROTOCOL_WORDS = {"ip": ANY_PROTOCOL, **{w: (protocol_number(w),) * 2 for w in ("tcp", "udp")}}
_ANY_ICMP_NO_FLAGS = (0, MAX_ICMP, 0, MAX_ICMP, 0, 0)


def _simple_ports(text: str) -> list[Interval] | tuple[Interval, ...] | None:
    if text.startswith("eq "):
        port = int(text[3:])
        return ((port, port),) if port <= MAX_PORT else None
    operator, *words = text.split()
    values = [int(v) for v in words]
    if any(v > MAX_PORT for v in values):
        return None
    # port_operator leaves out an empty interval (neq 0, lt 0, range 9 1): a cube of it matches nothing.
    return port_operator(operator, values)


def _simple_address(text: str) -> Ternary:
    if text == "any":
        return ANY_TERNARY
    if text.startswith("host "):
        return host(text[5:])
    if "/" in text:
        return prefix(text)
    # ADDRESS WILDCARD, both dotted quads (the pattern says so): wildcard() without its IPv6 branches.
    address, mask = text.split(" ")
    try:
        value = int.from_bytes(inet_pton(AF_INET, address), "big")
        care = 0xFFFFFFFF ^ int.from_bytes(inet_pton(AF_INET, mask), "big")
    except OSError:
        raise AddressError(f"{text!r} is not an address and wildcard") from None
    return value & care, care


def parse_entry(words: list[str], *, standard: bool, groups: ObjectGroups, ipv6: bool = False) -> Entry:
    """An entry from its words, starting at ``permit``/``deny`` (a leading sequence number already removed)."""
    if not standard and not ipv6 and len(words) <= 9:
        simple = parse_simple(" ".join(words))
        if simple is not None:
            return simple
    return parse_general(words, standard=standard, groups=groups, ipv6=ipv6)


def parse_general(words: list[str], *, standard: bool, groups: ObjectGroups, ipv6: bool = False) -> Entry:
    """Any entry, word by word (object groups, names, options); :func:`parse_simple` must agree with it."""
    conditional = ""
    if words and words[0] == "dynamic":
        # dynamic NAME [timeout N] permit ...: lock-and-key, inactive until a user authenticates.
        position = 2
        if len(words) > 3 and words[2] == "timeout":
            position = 4
        conditional = f"dynamic entry {words[1] if len(words) > 1 else ''}: matches only after lock-and-key login"
        words = words[position:]
    if words and words[0] == "evaluate":
        match = MatchDraft(inexact=[f"reflexive entry (evaluate {' '.join(words[1:2])}): matches return traffic only"])
        return Entry("permit", match, conditional="reflexive")
    if not words or words[0] not in ("permit", "deny"):
        raise EntryError("not a permit or deny entry")
    action = words[0]
    reader = _Reader(words, 1, groups, ipv6)
    match = reader.standard() if standard else reader.extended()
    if conditional:
        match.inexact.append(conditional)
    return Entry(action, match, conditional)


class _Reader:
    def __init__(self, words: list[str], position: int, groups: ObjectGroups, ipv6: bool) -> None:
        self.words = words
        self.at = position
        self.groups = groups
        self.ipv6 = ipv6

    def peek(self, offset: int = 0) -> str | None:
        index = self.at + offset
        return self.words[index] if index < len(self.words) else None

    def take(self) -> str:
        word = self.peek()
        if word is None:
            raise EntryError("entry ends too early")
        self.at += 1
        return word

    # ---- entries -----------------------------------------------------------------

    def standard(self) -> MatchDraft:
        match = MatchDraft()
        match.src = self.address(standard=True, match=match)
        self.options(match, protocol=None)
        return match

    def extended(self) -> MatchDraft:
        match = MatchDraft()
        services: list[Service] | None = None
        word = self.take()
        protocol: int | None = None
        if word == "object-group" and self.peek() is not None and not self._next_is_address_group():
            services = self.groups.services(self.take(), match)
        elif word in ANY_PROTOCOL_WORDS:
            match.protocols = [ANY_PROTOCOL]
        else:
            protocol = protocol_number(word)
            if protocol is None:
                match.inexact.append(f"unknown protocol {word!r}")
            else:
                match.protocol(protocol)
        ported = services is not None or protocol in (TCP, UDP, SCTP)
        match.src = self.address(standard=False, match=match)
        if ported and services is None:
            match.sport = self.ports(protocol, match)
        match.dst = self.address(standard=False, match=match)
        if ported and services is None:
            match.dport = self.ports(protocol, match)
        if protocol in (ICMP, ICMPV6):
            self.icmp(match)
        if services is not None:
            _apply_services(match, services)
        self.options(match, protocol)
        return match

    def _next_is_address_group(self) -> bool:
        """``permit object-group X`` names a service group unless X is a network group (IOS-XE)."""
        name = self.peek()
        return name is not None and self.groups.has_network(name) and not self.groups.has_service(name)

    # ---- fields ------------------------------------------------------------------

    def address(self, *, standard: bool, match: MatchDraft) -> list[Ternary]:
        word = self.take()
        try:
            if word in ("any", "any4", "any6"):
                return [ANY_TERNARY]
            if word == "host":
                return [host(self.take())]
            if word in ("object-group", "addrgroup"):
                return self.groups.networks(self.take(), match)
            if "/" in word:
                return [prefix(word)]
            following = self.peek()
            if following is not None and _dotted(following):
                self.at += 1
                return [wildcard(word, following)]
            if standard or _dotted(word):
                return [host(word)]
        except ValueError as exc:
            raise EntryError(f"bad address {word!r}: {exc}") from None
        raise EntryError(f"expected an address, found {word!r}")

    def ports(self, protocol: int | None, match: MatchDraft) -> list[Interval]:
        word = self.peek()
        if word == "portgroup":
            self.at += 1
            return self.groups.ports(self.take(), match)
        if word not in _PORT_OPERATORS:
            return [ANY_PORT]
        self.at += 1
        values: list[int] = []
        count = 2 if word == "range" else (10 if word == "eq" else 1)
        while len(values) < count:
            following = self.peek()
            if following is None:
                break
            number = port_number(following, protocol)
            if number is None:
                if not values:
                    match.inexact.append(f"unknown port name {following!r}")
                    self.at += 1
                    return [ANY_PORT]
                break
            values.append(number)
            self.at += 1
        intervals = port_operator(word, values)
        if intervals is None:
            raise EntryError(f"bad port operator {word} {' '.join(map(str, values))}")
        return intervals

    def icmp(self, match: MatchDraft) -> None:
        word = self.peek()
        if word is None:
            return
        if word.isdigit():
            self.at += 1
            icmp_type = int(word)
            code = self.peek()
            if code is not None and code.isdigit():
                self.at += 1
                match.icmp = [((icmp_type, icmp_type), (int(code), int(code)))]
            else:
                match.icmp = [((icmp_type, icmp_type), ANY_ICMP)]
            return
        known = ICMP_TYPES.get(word)
        if known is not None and not self.ipv6:
            self.at += 1
            icmp_type, code_value = known
            code_interval = (code_value, code_value) if code_value is not None else ANY_ICMP
            match.icmp = [((icmp_type, icmp_type), code_interval)]
        elif self.ipv6 and word not in (*_NEUTRAL, *_NARROWING, *_FLAGS) and not word.startswith(("match-", "+", "-")):
            # ICMPv6 message names (nd-na, router-advertisement...): kept as any ICMPv6 type.
            self.at += 1
            match.inexact.append(f"ICMPv6 message {word!r} kept as any ICMPv6 message")

    def options(self, match: MatchDraft, protocol: int | None) -> None:
        while (word := self.peek()) is not None:
            self.at += 1
            if word in _NEUTRAL:
                continue
            if word == "established" and protocol == TCP:
                match.flags = list(ESTABLISHED)
            elif word in _FLAGS and protocol == TCP:
                bit = _FLAGS[word]
                match.flags = [(v | bit, c | bit) for v, c in match.flags if not (c & bit and not v & bit)]
            elif word in ("match-all", "match-any") and protocol == TCP:
                self._flag_expression(word, match)
            elif word in ("reflect",):
                self.at += 1
                if self.peek() == "timeout":
                    self.at += 2
            elif word in _NARROWING:
                taken = self.words[self.at : self.at + _NARROWING[word]]
                self.at += _NARROWING[word]
                match.inexact.append(" ".join([word, *taken]))
            else:
                match.inexact.append(f"option {word!r} not modelled")

    def _flag_expression(self, mode: str, match: MatchDraft) -> None:
        terms: list[tuple[int, bool]] = []
        while (word := self.peek()) is not None and word[:1] in "+-" and word[1:] in _FLAGS:
            terms.append((_FLAGS[word[1:]], word[0] == "+"))
            self.at += 1
        if not terms:
            return
        if mode == "match-all":
            value = sum(bit for bit, on in terms if on)
            care = sum(bit for bit, _ in terms)
            match.flags = [(value, care)]
        else:
            match.flags = [(bit if on else 0, bit) for bit, on in terms]


def _apply_services(match: MatchDraft, services: list[Service]) -> None:
    """A service object group in the protocol position: each member its own protocol and ports."""
    match.services = services or [Service()]


def _dotted(word: str) -> bool:
    parts = word.split(".")
    return len(parts) == 4 and all(p.isdigit() for p in parts)


__all__ = ["AddressError", "Entry", "EntryError", "parse_entry", "parse_general", "parse_simple", "simple_entry"]
