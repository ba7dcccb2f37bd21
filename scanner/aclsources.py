"""Which sources an access list lets in to a management service: a question asked of the ACL model.

access.management_acl (and IOS ``login quiet-mode access-class``) ask it of the lists the
platform already read into :mod:`scanner.aclfacts`: given the traffic of one service (SSH
and Telnet to the vty lines, UDP 161 to an SNMP agent, the web server's ports...), is there
a permit line, reached by some of that traffic, that lets *every* source address in? A
list that does is no restriction of the management plane, whatever else it says.

The answer is the first such line, in evaluation order, and it is either

- a permit whose own match, within the service's traffic, holds every source address
  (``permit any``, ``rule permit``, a Junos term without ``source-address``): every source
  reaches it except those an earlier line turned away, so a token deny before it
  (``deny host 192.0.2.66``) restricts nothing; or
- a permit after which the lines so far, together, let some packet in from every source
  (two half-range permits, ``0.0.0.0/1`` and ``128.0.0.0/1``, say no "any" and are
  everything).

A line is *reached* when some of its share of the service's traffic is left over by the
exact lines before it (header-space subtraction, :mod:`scanner.headerspace`): a permit
that earlier denies of that traffic cover (``deny tcp any any`` before ``permit ip any
any``, on SSH) lets nobody in. An inexact line (a time range, DSCP...) keeps its wider
match: an inexact permit counts as permitting, an inexact deny never as covering, the
safe side for "is this service open".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from scanner.aclfacts import AccessList, AclLine
from scanner.headerspace import UNIVERSE, Cube, HeaderSpace, TooComplex, cube, minus

# Pieces a subtraction may split into before a line is taken as reached (the safe side).
_PIECE_BUDGET = 20_000
_TCP, _UDP = 6, 17
_LOGIN = ((_TCP, 22), (_TCP, 23))
_WEB = ((_TCP, 80), (_TCP, 443))
_SNMP = ((_UDP, 161),)
# The routing engine's services behind a Junos lo0 filter: FTP, SSH, Telnet, HTTP(S),
# NETCONF, the Junos XML protocol (xnm-clear-text, xnm-ssl) and SNMP.
_ROUTING_ENGINE = (
    *((_TCP, port) for port in (21, 22, 23, 80, 443, 830, 3220, 3221)),
    *_SNMP,
)
_SERVICE_PORTS: dict[str, tuple[tuple[int, int], ...]] = {
    "vty": _LOGIN,
    "ssh": ((_TCP, 22),),
    "telnet": ((_TCP, 23),),
    "http": _WEB,
    "https": _WEB,
    "snmp": _SNMP,
    "routing-engine": _ROUTING_ENGINE,
}


def service_traffic(service: str) -> HeaderSpace:
    """The packets that reach ``service`` (a :class:`~scanner.facts.ManagementAccess` service),
    from any source to any address of the device; every login port when the service is unknown."""
    ports = _SERVICE_PORTS.get(service, (*_LOGIN, *_WEB, *_SNMP))
    return HeaderSpace.of(cube(protocol=(p, p), dport=(port, port)) for p, port in ports)


def open_to_every_source(lines: Sequence[AclLine], traffic: HeaderSpace, width: int = 32) -> AclLine | None:
    """The first permit line that lets every source address in to ``traffic`` (None: the list restricts them).

    ``width`` is the address width (32, 128): how many sources "every" is.
    """
    taken: list[Cube] = []
    sources = _Sources(width)
    for line in lines:
        share = line.space.intersect(traffic)
        if share.empty:
            continue
        if line.action == "permit":
            reached = _left_over(share.cubes, taken)
            if reached and (_projection(share.cubes).covers(_EVERYTHING) or sources.add(reached)):
                return line
        if line.exact:
            taken.extend(share.cubes)
    return None


def open_line(lists: Sequence[AccessList], traffic: HeaderSpace) -> AclLine | None:
    """:func:`open_to_every_source` for lists evaluated in turn (a Junos ``input-list``), or one list."""
    lines: list[AclLine] = []
    for found in lists:
        lines.extend(found.lines)
    width = 128 if lists and lists[0].family == "ipv6" else 32
    return open_to_every_source(lines, traffic, width)


def _left_over(share: Sequence[Cube], taken: Sequence[Cube]) -> list[Cube]:
    try:
        return minus(list(share), taken, _PIECE_BUDGET)
    except TooComplex:
        return list(share)


_EVERYTHING = HeaderSpace.everything()


def _projection(cubes: Iterable[Cube]) -> HeaderSpace:
    """The source addresses of ``cubes``, every other field left free."""
    return HeaderSpace.of(cube(src=(c[2], c[3])) for c in cubes)


class _Sources:
    """The source addresses the permits so far let in, and whether they are every address.

    The exact union test runs only once the patterns' sizes add up to the whole address
    space (a list of ten thousand host permits never gets there), and gives up, saying
    "not every source", past a budget of pieces: a failure is claimed only when shown.
    """

    def __init__(self, width: int) -> None:
        self.width = width
        self.cubes: list[Cube] = []
        self.size = 0

    def add(self, cubes: Sequence[Cube]) -> bool:
        for c in cubes:
            self.cubes.append(c)
            self.size += 1 << (self.width - bin(c[3]).count("1"))
        if self.size < 1 << self.width:
            return False
        projected = _projection(self.cubes).cubes
        try:
            return not minus([UNIVERSE], projected, _PIECE_BUDGET)
        except TooComplex:
            return False
