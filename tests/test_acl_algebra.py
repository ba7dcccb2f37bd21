"""The header-space algebra and line reachability, against brute force on packets that tell every rule apart.

Rules here use addresses of 10.0.0.0/28 (plus one address outside it), ports 0-5 and
three protocols, so a grid of every such address, the ports 0-6 and 65535, those
protocols and one more (GRE, standing for all the others) holds a representative of
every class of packets the rules can tell apart:
what is true on the grid is true of the whole space. The oracle decides each line's
reachability by evaluating every grid packet; the analysis must agree on every line.
"""

from __future__ import annotations

import ipaddress
import random
from itertools import product

import pytest

from scanner.aclfacts import AccessList, AclLine
from scanner.headerspace import ACK, RST, UNIVERSE, HeaderSpace, contains, cube, intersects, subtract
from scanner.model import Evidence
from scanner.network.acl.lines import apart, decide, exact_unreachable, traverse, unreachable_lines

BASE = int(ipaddress.ip_address("10.0.0.0"))
OUTSIDE = int(ipaddress.ip_address("192.0.2.1"))
ADDRESSES = [BASE + i for i in range(16)] + [OUTSIDE]
PORTS = [0, 1, 2, 3, 4, 5, 6, 65535]
PROTOCOLS = [1, 6, 17, 47]
FULL = (1 << 32) - 1


def point(protocol: int, src: int, dst: int, dport: int, flags: int = 0) -> tuple[int, ...]:
    return (protocol, protocol, src, FULL, dst, FULL, 1000, 1000, dport, dport, 8, 8, 0, 0, flags, 0x3F)


GRID = [point(p, s, d, port) for p, s, d, port in product(PROTOCOLS, ADDRESSES, ADDRESSES, PORTS)]


def random_prefix(rng: random.Random) -> tuple[int, int]:
    length = rng.choice([0, 28, 29, 30, 31, 32])
    if length == 0:
        return (0, 0)
    mask = (FULL << (32 - length)) & FULL
    return (BASE + rng.randrange(16)) & mask, mask


def random_wildcard(rng: random.Random) -> tuple[int, int]:
    """A non-contiguous wildcard over the last four bits (``10.0.0.1 0.0.0.10``)."""
    free = rng.randrange(16)
    care = FULL & ~free
    return (BASE + rng.randrange(16)) & care, care


def random_cube(rng: random.Random) -> tuple[int, ...]:
    protocol = rng.choice([(0, 255), (6, 6), (17, 17), (1, 1)])
    low = rng.randrange(6)
    high = rng.randrange(low, 6)
    dport = rng.choice([(0, 65535), (low, high)]) if protocol in ((6, 6), (17, 17)) else (0, 65535)
    pick = random_wildcard if rng.random() < 0.3 else random_prefix
    return cube(protocol=protocol, src=pick(rng), dst=random_prefix(rng), dport=dport)


def line(action: str, cubes: list[tuple[int, ...]], label: str, exact: bool = True) -> AclLine:
    return AclLine(action, HeaderSpace.of(cubes), Evidence("test", 1, label), label, exact=exact)  # type: ignore[arg-type]


def random_list(rng: random.Random, size: int) -> AccessList:
    lines = []
    for position in range(size):
        cubes = [random_cube(rng) for _ in range(rng.choice([1, 1, 1, 2]))]
        lines.append(line(rng.choice(["permit", "deny"]), cubes, str(position), exact=rng.random() > 0.1))
    return AccessList("T", "extended", "ipv4", tuple(lines), Evidence("test", 1, "T"))


def reachable_by_oracle(access_list: AccessList) -> set[int]:
    """Lines that decide some grid packet when every line matches exactly what it says."""
    reached = set()
    for packet in GRID:
        for position, item in enumerate(access_list.lines):
            if item.space.contains_point(packet):
                reached.add(position)
                if item.exact:
                    break
    return reached


@pytest.mark.parametrize("seed", range(40))
def test_subtract_is_exact_on_every_grid_packet(seed: int) -> None:
    rng = random.Random(seed)
    a, b = random_cube(rng), random_cube(rng)
    pieces = subtract(a, b)
    for packet in GRID:
        inside = [p for p in pieces if contains(p, packet)]
        expected = contains(a, packet) and not contains(b, packet)
        assert bool(inside) == expected, (a, b, packet)
        assert len(inside) <= 1, "pieces overlap"


@pytest.mark.parametrize("seed", range(50))
def test_unreachable_lines_agree_with_brute_force(seed: int) -> None:
    access_list = random_list(random.Random(seed), 10)
    reached = reachable_by_oracle(access_list)
    found = unreachable_lines(access_list)
    assert not found.undecided
    claimed = {u.index for u in found.unreachable}
    for position, item in enumerate(access_list.lines):
        has_packets = any(item.space.contains_point(p) for p in GRID)
        if not has_packets:
            continue
        # Inexact lines before a line may not match: it is reachable unless exact lines cover it.
        assert (position in claimed) == (position not in _reachable_ignoring_inexact(access_list, position)), (
            seed,
            position,
        )
    for item in found.unreachable:
        covering = item.covering
        assert all(access_list.lines[i].exact and i < item.index for i in covering)
        union = HeaderSpace(tuple(c for i in covering for c in access_list.lines[i].space.cubes))
        assert union.covers(access_list.lines[item.index].space)
    assert reached >= {i for i in range(len(access_list.lines)) if i not in claimed and _has_packets(access_list, i)}


def sparse_list(rng: random.Random, size: int) -> AccessList:
    """Lines of mostly their own /30../32 of 10.0.0.0/28 (often apart, sometimes nesting or with a wildcard)."""
    lines = []
    for position in range(size):
        cubes = []
        for _ in range(rng.choice([1, 1, 1, 1, 1, 2])):
            length = rng.choice([30, 31, 32, 32, 32, 28])
            mask = (FULL << (32 - length)) & FULL
            src = random_wildcard(rng) if rng.random() < 0.05 else ((BASE + rng.randrange(16)) & mask, mask)
            dst = random_prefix(rng) if rng.random() < 0.5 else (0, 0)
            cubes.append(cube(protocol=rng.choice([(0, 255), (6, 6)]), src=src, dst=dst))
        lines.append(line(rng.choice(["permit", "deny"]), cubes, str(position), exact=rng.random() > 0.1))
    return AccessList("T", "extended", "ipv4", tuple(lines), Evidence("test", 1, "T"))


def test_lines_found_apart_never_meet_and_the_shortcut_changes_no_answer() -> None:
    """apart() may only say True of lists where no two lines share a packet; then nothing is unreachable."""
    said_apart = said_not = 0
    for seed in range(400):
        access_list = sparse_list(random.Random(seed), random.Random(seed).randrange(2, 6))
        lines = access_list.lines
        meet = any(
            intersects(a, b)
            for i, first in enumerate(lines)
            for second in lines[i + 1 :]
            for a in first.space.cubes
            for b in second.space.cubes
        )
        if apart(lines, 32):
            said_apart += 1
            assert not meet, seed
        else:
            said_not += 1
        full = exact_unreachable(lines, 32)
        found = unreachable_lines(access_list)
        assert (found.unreachable, found.undecided) == (full.unreachable, full.undecided), seed
    # Both answers were exercised (the generator makes lists of either kind).
    assert said_apart > 50 and said_not > 50, (said_apart, said_not)


def test_a_nested_prefix_is_not_apart_and_its_shadow_is_found() -> None:
    """Distinct /24s are apart; one /16 over a /24 written after it is not, and shadows nothing before."""

    def net(octet: int, length: int) -> tuple[int, int]:
        mask = (FULL << (32 - length)) & FULL
        return (BASE + (octet << 8)) & mask, mask

    separate = [line("permit", [cube(protocol=(6, 6), src=net(i, 24), dport=(22, 22))], str(i)) for i in range(5)]
    assert apart(separate, 32)
    wide = line("permit", [cube(protocol=(6, 6), src=net(0, 16))], "wide")
    covered = line("deny", [cube(protocol=(6, 6), src=net(3, 24), dport=(22, 22))], "late")
    lines = (*separate, wide, covered)
    assert not apart([*separate, wide], 32)
    found = unreachable_lines(AccessList("T", "extended", "ipv4", lines, Evidence("test", 1, "T")))
    assert [(u.index, u.covering) for u in found.unreachable] == [(6, (3,))]


def _has_packets(access_list: AccessList, position: int) -> bool:
    return any(access_list.lines[position].space.contains_point(p) for p in GRID)


def _reachable_ignoring_inexact(access_list: AccessList, position: int) -> set[int]:
    """Whether ``position`` matches a grid packet no earlier *exact* line matches."""
    target = access_list.lines[position]
    for packet in GRID:
        if target.space.contains_point(packet) and not any(
            earlier.exact and earlier.space.contains_point(packet) for earlier in access_list.lines[:position]
        ):
            return {position}
    return set()


def test_a_line_covered_by_two_earlier_lines_together_is_found_with_both() -> None:
    low = cube(protocol=(6, 6), src=(BASE, FULL << 1 & FULL), dport=(22, 22))  # 10.0.0.0/31
    high = cube(protocol=(6, 6), src=(BASE + 2, FULL << 1 & FULL), dport=(22, 22))  # 10.0.0.2/31
    both = cube(protocol=(6, 6), src=(BASE, FULL << 2 & FULL), dport=(22, 22))  # 10.0.0.0/30
    access_list = AccessList(
        "T",
        "extended",
        "ipv4",
        (line("deny", [low], "10"), line("deny", [high], "20"), line("deny", [both], "30")),
        Evidence("test", 1, "T"),
    )
    found = unreachable_lines(access_list)
    assert [(u.index, u.covering) for u in found.unreachable] == [(2, (0, 1))]
    assert not found.unreachable[0].conflicting(access_list.lines)


def test_an_inexact_earlier_line_never_covers() -> None:
    broad = cube(protocol=(6, 6))
    narrow = cube(protocol=(6, 6), dport=(22, 22))
    access_list = AccessList(
        "T",
        "extended",
        "ipv4",
        (line("permit", [broad], "10", exact=False), line("deny", [narrow], "20")),
        Evidence("test", 1, "T"),
    )
    assert unreachable_lines(access_list).unreachable == []


def test_established_is_ack_or_rst() -> None:
    established = HeaderSpace.of(
        [cube(protocol=(6, 6), flags=(ACK, ACK)), cube(protocol=(6, 6), flags=(RST, ACK | RST))]
    )
    syn_only = point(6, BASE, BASE, 22, flags=0b000010)
    ack = point(6, BASE, BASE, 22, flags=ACK)
    assert not established.contains_point(syn_only)
    assert established.contains_point(ack)


def test_traverse_finds_the_catch_all_and_the_default() -> None:
    zone_a = cube(src=(BASE, FULL << 4 & FULL))
    space = HeaderSpace.of([zone_a])
    specific = line("permit", [cube(protocol=(6, 6), src=(BASE, FULL), dport=(443, 443))], "10")
    catch_all = line("permit", [UNIVERSE], "20")
    assert traverse([specific, catch_all], space, "deny").rest_line is catch_all
    assert traverse([specific, catch_all], space, "deny").permits_all
    only_specific = traverse([specific], space, "permit")
    assert (only_specific.rest, only_specific.rest_line, only_specific.permits_all) == ("permit", None, True)
    denied = traverse([specific], space, "deny")
    assert (denied.rest, denied.permits_all) == ("deny", False)


def test_traverse_sees_two_lines_that_together_take_everything() -> None:
    space = HeaderSpace.of([cube(src=(BASE, FULL << 4 & FULL))])
    tcp = line("deny", [cube(protocol=(6, 6))], "10")
    others = line("deny", [cube(protocol=(0, 5)), cube(protocol=(7, 255))], "20")
    result = traverse([tcp, others], space, "permit")
    assert result.rest == "deny" and result.rest_line is others


def test_decide_reports_inexact_lines_that_may_match_first() -> None:
    maybe = line("deny", [cube(protocol=(6, 6))], "10", exact=False)
    allow = line("permit", [cube(protocol=(6, 6))], "20")
    decision = decide([maybe, allow], point(6, BASE, BASE, 22), "deny")
    assert decision.action == "permit" and decision.line is allow and decision.maybe == (maybe,)
    assert intersects(maybe.space.cubes[0], allow.space.cubes[0])
