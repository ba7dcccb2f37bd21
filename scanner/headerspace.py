"""Sets of packet headers as unions of cubes, with exact intersection and subtraction.

This is the algebra of header space analysis (Kazemian et al., HSA; Batfish answers
the same questions with BDDs): a set of packets is a union of *cubes*, each the
product of one set per header field. Integer fields (protocol, ports, ICMP type and
code) are inclusive intervals; address fields and TCP flags are *ternary* patterns
(``value``, ``care``): the bits set in ``care`` must equal those of ``value``, the
others are free. A wildcard mask (``0.0.255.0``, even a non-contiguous one) is exactly
one ternary pattern, so every vendor's address syntax maps to one cube field without
loss.

Subtraction is exact: ``A - B`` splits ``A`` along each field where ``B`` is narrower
into disjoint pieces (at most two per interval, one per extra care bit per ternary),
so ``line ⊆ union of earlier lines`` is decided by subtracting and testing for the
empty set, never by sampling. A cube is a plain tuple (fast to build, hash and
compare); the field positions are the ``_*`` constants below.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

# TCP flag bits in the FLAGS field (ternary over these six bits).
FIN, SYN, RST, PSH, ACK, URG = 1, 2, 4, 8, 16, 32

MAX_PROTOCOL = 255
MAX_PORT = 65535
MAX_ICMP = 255

# A cube: (proto lo, proto hi, src value, src care, dst value, dst care, sport lo, sport hi,
#          dport lo, dport hi, icmp type lo, hi, icmp code lo, hi, flags value, flags care)
Cube = tuple[int, int, int, int, int, int, int, int, int, int, int, int, int, int, int, int]

_INTERVALS = ((0, 1), (8, 9), (6, 7), (10, 11), (12, 13))
_TERNARIES = ((4, 5), (2, 3), (14, 15))

UNIVERSE: Cube = (0, MAX_PROTOCOL, 0, 0, 0, 0, 0, MAX_PORT, 0, MAX_PORT, 0, MAX_ICMP, 0, MAX_ICMP, 0, 0)


def cube(
    *,
    protocol: tuple[int, int] = (0, MAX_PROTOCOL),
    src: tuple[int, int] = (0, 0),
    dst: tuple[int, int] = (0, 0),
    sport: tuple[int, int] = (0, MAX_PORT),
    dport: tuple[int, int] = (0, MAX_PORT),
    icmp_type: tuple[int, int] = (0, MAX_ICMP),
    icmp_code: tuple[int, int] = (0, MAX_ICMP),
    flags: tuple[int, int] = (0, 0),
) -> Cube:
    """A cube from its fields; ``src``/``dst``/``flags`` are (value, care) ternary patterns."""
    return (
        protocol[0],
        protocol[1],
        src[0] & src[1],
        src[1],
        dst[0] & dst[1],
        dst[1],
        sport[0],
        sport[1],
        dport[0],
        dport[1],
        icmp_type[0],
        icmp_type[1],
        icmp_code[0],
        icmp_code[1],
        flags[0] & flags[1],
        flags[1],
    )


def valid(c: Cube) -> bool:
    """False for a cube with an empty interval (e.g. ``lt 0``): it matches nothing."""
    return c[0] <= c[1] and c[6] <= c[7] and c[8] <= c[9] and c[10] <= c[11] and c[12] <= c[13]


def intersects(a: Cube, b: Cube) -> bool:
    return (
        a[0] <= b[1]
        and b[0] <= a[1]
        and a[8] <= b[9]
        and b[8] <= a[9]
        and not (a[4] ^ b[4]) & a[5] & b[5]
        and not (a[2] ^ b[2]) & a[3] & b[3]
        and a[6] <= b[7]
        and b[6] <= a[7]
        and a[10] <= b[11]
        and b[10] <= a[11]
        and a[12] <= b[13]
        and b[12] <= a[13]
        and not (a[14] ^ b[14]) & a[15] & b[15]
    )


def intersection(a: Cube, b: Cube) -> Cube | None:
    if not intersects(a, b):
        return None
    return (
        max(a[0], b[0]),
        min(a[1], b[1]),
        a[2] | b[2],
        a[3] | b[3],
        a[4] | b[4],
        a[5] | b[5],
        max(a[6], b[6]),
        min(a[7], b[7]),
        max(a[8], b[8]),
        min(a[9], b[9]),
        max(a[10], b[10]),
        min(a[11], b[11]),
        max(a[12], b[12]),
        min(a[13], b[13]),
        a[14] | b[14],
        a[15] | b[15],
    )


def contains(outer: Cube, inner: Cube) -> bool:
    """Whether every packet of ``inner`` is in ``outer``."""
    return (
        outer[0] <= inner[0]
        and inner[1] <= outer[1]
        and outer[8] <= inner[8]
        and inner[9] <= outer[9]
        and not outer[5] & ~inner[5]
        and not (outer[4] ^ inner[4]) & outer[5]
        and not outer[3] & ~inner[3]
        and not (outer[2] ^ inner[2]) & outer[3]
        and outer[6] <= inner[6]
        and inner[7] <= outer[7]
        and outer[10] <= inner[10]
        and inner[11] <= outer[11]
        and outer[12] <= inner[12]
        and inner[13] <= outer[13]
        and not outer[15] & ~inner[15]
        and not (outer[14] ^ inner[14]) & outer[15]
    )


def subtract(a: Cube, b: Cube) -> list[Cube]:
    """``a - b`` as disjoint cubes (``[a]`` when they do not meet, ``[]`` when ``b`` covers ``a``)."""
    if not intersects(a, b):
        return [a]
    pieces: list[Cube] = []
    current = list(a)
    for lo, hi in _INTERVALS:
        alo, ahi, blo, bhi = current[lo], current[hi], b[lo], b[hi]
        if alo < blo:
            piece = current.copy()
            piece[hi] = blo - 1
            pieces.append(tuple(piece))  # type: ignore[arg-type]
            current[lo] = blo
        if ahi > bhi:
            piece = current.copy()
            piece[lo] = bhi + 1
            pieces.append(tuple(piece))  # type: ignore[arg-type]
            current[hi] = bhi
    for value_at, care_at in _TERNARIES:
        care = current[care_at]
        extra = b[care_at] & ~care
        if not extra:
            continue
        value, b_value = current[value_at], b[value_at]
        # One piece per bit b fixes and a leaves free, highest bit first: for prefixes the
        # pieces are themselves prefixes (a /8 minus a /24 is a /9, a /10 ... a /24).
        while extra:
            bit = 1 << (extra.bit_length() - 1)
            extra ^= bit
            piece = current.copy()
            piece[value_at] = value | (bit & ~b_value)
            piece[care_at] = care | bit
            pieces.append(tuple(piece))  # type: ignore[arg-type]
            value |= b_value & bit
            care |= bit
            current[value_at] = value
            current[care_at] = care
    return pieces


def has_point(c: Cube, point: Cube) -> bool:
    """Whether the single packet ``point`` (a cube of one value per field) lies in ``c``."""
    return contains(c, point)


def corners(c: Cube, width: int) -> Iterator[Cube]:
    """A few concrete packets of ``c``: its lowest, highest and middle points (witness candidates)."""
    full = (1 << width) - 1
    flag_full = 0x3F

    def point(pick: int) -> Cube:
        values = []
        for lo, hi in ((0, 1), (6, 7), (8, 9), (10, 11), (12, 13)):
            values.append((c[lo], c[hi], (c[lo] + c[hi]) // 2)[pick])
        proto, sport, dport, itype, icode = values
        src = _ternary_point(c[2], c[3], full, pick)
        dst = _ternary_point(c[4], c[5], full, pick)
        flags = _ternary_point(c[14], c[15], flag_full, pick)
        return (proto, proto, src, full, dst, full, sport, sport, dport, dport, itype, itype, icode, icode, flags, 0x3F)

    for pick in (0, 1, 2):
        yield point(pick)


def _ternary_point(value: int, care: int, full: int, pick: int) -> int:
    free = full & ~care
    if pick == 0:
        return value
    if pick == 1:
        return value | free
    # Alternate free bits: a point away from both corners.
    return value | (free & (0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA & full))


@dataclass(frozen=True, slots=True)
class HeaderSpace:
    """A set of packets: a union of cubes (not necessarily disjoint)."""

    cubes: tuple[Cube, ...] = ()

    def __reduce__(self) -> tuple[type[HeaderSpace], tuple[tuple[Cube, ...]]]:
        # Its cubes alone: the dataclass's own state methods call fields() for every object,
        # and every ACL line of every host record is pickled (scanner.packedlist).
        return (HeaderSpace, (self.cubes,))

    @classmethod
    def of(cls, cubes: Iterable[Cube]) -> HeaderSpace:
        return cls(tuple(c for c in cubes if valid(c)))

    @classmethod
    def everything(cls) -> HeaderSpace:
        return cls((UNIVERSE,))

    @property
    def empty(self) -> bool:
        return not self.cubes

    def union(self, other: HeaderSpace) -> HeaderSpace:
        if not other.cubes:
            return self
        if not self.cubes:
            return other
        return HeaderSpace(self.cubes + other.cubes)

    def intersect(self, other: HeaderSpace) -> HeaderSpace:
        found = []
        for a in self.cubes:
            for b in other.cubes:
                c = intersection(a, b)
                if c is not None:
                    found.append(c)
        return HeaderSpace(tuple(found))

    def minus(self, other: HeaderSpace) -> HeaderSpace:
        return HeaderSpace(tuple(minus(list(self.cubes), other.cubes)))

    def covers(self, other: HeaderSpace) -> bool:
        """Whether every packet of ``other`` is in this set (exact)."""
        if all(any(contains(mine, theirs) for mine in self.cubes) for theirs in other.cubes):
            return True
        if len(self.cubes) <= 1:
            # One cube covers a set only by containing each of its cubes.
            return False
        return not minus(list(other.cubes), self.cubes)

    def meets(self, other: HeaderSpace) -> bool:
        return any(intersects(a, b) for a in self.cubes for b in other.cubes)

    def contains_point(self, point: Cube) -> bool:
        return any(contains(c, point) for c in self.cubes)


def minus(remaining: list[Cube], removed: Sequence[Cube], budget: int | None = None) -> list[Cube]:
    """``remaining - removed`` as a list of cubes; with ``budget``, raise :class:`TooComplex` past that many pieces."""
    for b in removed:
        if not remaining:
            break
        out: list[Cube] = []
        for a in remaining:
            if intersects(a, b):
                out.extend(subtract(a, b))
            else:
                out.append(a)
        if budget is not None and len(out) > budget:
            raise TooComplex(len(out))
        remaining = out
    return remaining


class TooComplex(Exception):
    """A subtraction split into more pieces than its budget allowed (the question is left undecided)."""
