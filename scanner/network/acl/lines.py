"""What the lines of one access list do: which line decides a packet, what a list lets through,
and which lines can never match (Batfish's filterLineReachability, on header spaces).

A line is *unreachable* when the lines before it, alone or together, match every packet
it matches. That is decided exactly: the line's header space minus each earlier line
that meets it, until nothing is left (unreachable) or a packet is left over (reachable).
Only earlier lines matched exactly can cover (a line with a DSCP or time-range condition
may not match when it seems to); the line under test may be inexact, its match is then
wider than the truth, which only makes the claim harder to make.

For speed on long lists (10,000 lines), earlier lines are found through an index on
the leading fixed bits of their destination and source addresses (a line can only meet
lines whose prefixes nest with its own), and three concrete packets of the line are
tried first: one that no earlier line matches proves the line reachable at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from scanner.aclfacts import AccessList, AclLine, Action
from scanner.headerspace import Cube, HeaderSpace, TooComplex, contains, corners, intersects, minus

# More pieces than this while subtracting leaves the line undecided (never reported).
PIECE_BUDGET = 20_000
# Prefix lengths the "under" index keeps, per address width.
_LEVELS = {32: (0, 8, 16, 24, 32), 128: (0, 16, 32, 48, 64, 80, 96, 112, 128)}


@dataclass(frozen=True, slots=True)
class Unreachable:
    """Line ``index`` of a list can never match: ``covering`` lines (indices) take every packet first."""

    index: int
    covering: tuple[int, ...]

    def conflicting(self, lines: Sequence[AclLine]) -> bool:
        """Whether a covering line takes another action (the line's intent never applies)."""
        action = lines[self.index].action
        return any(lines[i].action != action for i in self.covering)


@dataclass
class Reachability:
    unreachable: list[Unreachable] = field(default_factory=list)
    undecided: list[int] = field(default_factory=list)


def width_of(access_list: AccessList) -> int:
    return 128 if access_list.family == "ipv6" else 32


def unreachable_lines(access_list: AccessList) -> Reachability:
    """Every line of ``access_list`` that earlier lines cover, with the lines that cover it."""
    lines = access_list.lines
    width = width_of(access_list)
    index = _PrefixIndex(width)
    result = Reachability()
    for position, line in enumerate(lines):
        cubes = line.space.cubes
        if cubes:
            outcome = _covered(cubes, index, lines, width)
            if outcome is None:
                result.undecided.append(position)
            elif outcome:
                result.unreachable.append(Unreachable(position, outcome))
        if line.exact:
            for c in cubes:
                index.add(position, c)
    return result


def _covered(
    cubes: tuple[Cube, ...], index: _PrefixIndex, lines: Sequence[AclLine], width: int
) -> tuple[int, ...] | None:
    """The earlier lines covering all of ``cubes`` (empty: not covered; None: undecided)."""
    candidates: dict[int, list[Cube]] = {}
    for c in cubes:
        for position, other in index.meeting(c):
            if intersects(c, other):
                candidates.setdefault(position, []).append(other)
    if not candidates:
        return ()
    # A single earlier line may cover all of it.
    for position in sorted(candidates):
        found = candidates[position]
        if all(any(contains(o, c) for o in found) for c in cubes):
            return (position,)
    # A concrete packet no earlier line matches proves the line reachable.
    ordered = sorted(candidates)
    every = [(p, o) for p in ordered for o in candidates[p]]
    for c in cubes:
        for point in corners(c, width):
            if not any(contains(o, point) for _, o in every):
                return ()
    remaining = list(cubes)
    used: list[int] = []
    try:
        for position in ordered:
            others = candidates[position]
            if any(intersects(r, o) for r in remaining for o in others):
                used.append(position)
                remaining = minus(remaining, others, PIECE_BUDGET)
                if not remaining:
                    return tuple(used)
    except TooComplex:
        return None
    return ()


class _PrefixIndex:
    """Earlier cubes by the leading fixed bits of their destination and source addresses."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.levels = _LEVELS.get(width, (0, width))
        # (field, length, leading bits) -> [(line, cube)] for cubes whose leading prefix is exactly that.
        self.exact: dict[tuple[int, int, int], list[tuple[int, Cube]]] = {}
        # (field, level, leading bits) -> [(line, cube)] for cubes whose leading prefix is at least that long.
        self.under: dict[tuple[int, int, int], list[tuple[int, Cube]]] = {}
        self.lengths: tuple[set[int], set[int]] = (set(), set())
        self.count = 0

    def _leading(self, value: int, care: int) -> tuple[int, int]:
        width = self.width
        inverted = ~care & ((1 << width) - 1)
        length = width - inverted.bit_length()
        return length, value >> (width - length) if length else 0

    def add(self, position: int, c: Cube) -> None:
        self.count += 1
        for slot, (value_at, care_at) in enumerate(((4, 5), (2, 3))):
            length, bits = self._leading(c[value_at], c[care_at])
            self.exact.setdefault((slot, length, bits), []).append((position, c))
            self.lengths[slot].add(length)
            for level in self.levels:
                if level > length:
                    break
                self.under.setdefault((slot, level, bits >> (length - level)), []).append((position, c))

    def meeting(self, c: Cube) -> list[tuple[int, Cube]]:
        """Earlier cubes whose address prefixes nest with those of ``c`` (a superset of those meeting it)."""
        best: list[tuple[int, Cube]] | None = None
        for slot, (value_at, care_at) in enumerate(((4, 5), (2, 3))):
            found = self._nesting(slot, *self._leading(c[value_at], c[care_at]))
            if best is None or len(found) < len(best):
                best = found
        return best or []

    def _nesting(self, slot: int, length: int, bits: int) -> list[tuple[int, Cube]]:
        found: list[tuple[int, Cube]] = []
        # Shorter (or equal) prefixes containing this one.
        for other in self.lengths[slot]:
            if other <= length:
                found.extend(self.exact.get((slot, other, bits >> (length - other)), ()))
        # Longer prefixes inside this one: through the deepest index level at or above its length.
        level = max(lv for lv in self.levels if lv <= length)
        for position, other in self.under.get((slot, level, bits >> (length - level)), ()):
            value_at, care_at = ((4, 5), (2, 3))[slot]
            other_length, other_bits = self._leading(other[value_at], other[care_at])
            if other_length > length and other_bits >> (other_length - length) == bits:
                found.append((position, other))
        return found


# ---- evaluation ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decision:
    """What a list does with one packet: the action and the line that decides (None: the default)."""

    action: Action
    line: AclLine | None
    # Inexact lines before the deciding one that match the packet's fields: they may decide instead.
    maybe: tuple[AclLine, ...] = ()


def decide(lines: Sequence[AclLine], point: Cube, default: Action) -> Decision:
    maybe = []
    for line in lines:
        if line.space.contains_point(point):
            if line.exact:
                return Decision(line.action, line, tuple(maybe))
            maybe.append(line)
    return Decision(default, None, tuple(maybe))


@dataclass(frozen=True, slots=True)
class Traversal:
    """What a list does with a set of packets.

    ``permitted`` is what it lets through (inexact permit lines counted as permitting all
    they might match, inexact deny lines as denying nothing: the safe side for "is this
    traffic restricted"); ``rest`` is how the traffic left over after the specific lines
    is treated: by a catch-all line (``rest_line``, the first exact line that takes all
    that remained) or, when traffic is left at the end, by the default action.
    """

    permitted: HeaderSpace
    rest: Action | None
    rest_line: AclLine | None
    deciding: tuple[AclLine, ...]


def traverse(lines: Sequence[AclLine], space: HeaderSpace, default: Action) -> Traversal:
    remaining = list(space.cubes)
    permitted: list[Cube] = []
    deciding: list[AclLine] = []
    for line in lines:
        if not remaining:
            break
        taken = HeaderSpace(tuple(remaining)).intersect(line.space)
        if taken.empty:
            continue
        deciding.append(line)
        if line.action == "permit":
            permitted.extend(taken.cubes)
        if not line.exact:
            continue
        remaining = minus(remaining, line.space.cubes)
        if not remaining:
            return Traversal(HeaderSpace(tuple(permitted)), line.action, line, tuple(deciding))
    if not remaining:
        return Traversal(HeaderSpace(tuple(permitted)), None, None, tuple(deciding))
    if default == "permit":
        permitted.extend(remaining)
    return Traversal(HeaderSpace(tuple(permitted)), default, None, tuple(deciding))
