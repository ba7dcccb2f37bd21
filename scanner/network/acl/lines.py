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
tried first: one that no earlier line matches proves the line reachable at once. Before
any of that, a list whose lines cannot meet at all (each names its own subnet: no two
source, or no two destination, prefixes overlap) is settled in one sort (:func:`apart`).
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
    if apart(lines, width):
        return Reachability()
    return exact_unreachable(lines, width)


def exact_unreachable(lines: Sequence[AclLine], width: int) -> Reachability:
    """:func:`unreachable_lines` without the shortcut of :func:`apart`: each line against the earlier ones."""
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


def apart(lines: Sequence[AclLine], width: int) -> bool:
    """Whether no two lines of ``lines`` can match the same packet, told from one address field.

    A line can only be covered by earlier lines that meet it, so when no two lines meet,
    none is unreachable and the exact analysis has nothing to do: most lists, where each
    line names its own subnet, are settled here in one sort. Decided on the source, then
    the destination address, when every line is one cube and every address on that field a
    prefix: two prefixes meet exactly when their address ranges overlap. Any doubt (a line
    of several cubes, a wildcard with holes, two ranges that overlap) answers False, and
    the exact analysis decides.
    """
    if len(lines) < 2:
        return True
    full = (1 << width) - 1
    cubes = []
    for line in lines:
        found = line.space.cubes
        if len(found) != 1:
            if found:
                return False
            continue
        cubes.append(found[0])
    for value_at, care_at in ((2, 3), (4, 5)):
        ranges = []
        for c in cubes:
            free = full ^ c[care_at]
            if free & (free + 1):
                break
            low = c[value_at] & ~free
            ranges.append((low, low | free))
        else:
            ranges.sort()
            end = -1
            for start, stop in ranges:
                if start <= end:
                    break
                end = stop
            else:
                return True
    return False


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

    _FIELDS = ((4, 5), (2, 3))

    def __init__(self, width: int) -> None:
        self.width = width
        self.mask = (1 << width) - 1
        self.levels = _LEVELS.get(width, (0, width))
        # (field, length, leading bits) -> [(line, cube)] for cubes whose leading prefix is exactly that.
        self.exact: dict[tuple[int, int, int], list[tuple[int, Cube]]] = {}
        # (field, level, leading bits) -> [(line, cube, length, bits)] for cubes whose leading prefix
        # is at least ``level`` long (its first ``level`` bits as the key).
        self.under: dict[tuple[int, int, int], list[tuple[int, Cube, int, int]]] = {}
        self.lengths: tuple[list[int], list[int]] = ([], [])

    def _leading(self, value: int, care: int) -> tuple[int, int]:
        width = self.width
        length = width - (~care & self.mask).bit_length()
        return length, value >> (width - length) if length else 0

    def add(self, position: int, c: Cube) -> None:
        for slot, (value_at, care_at) in enumerate(self._FIELDS):
            length, bits = self._leading(c[value_at], c[care_at])
            self.exact.setdefault((slot, length, bits), []).append((position, c))
            lengths = self.lengths[slot]
            if length not in lengths:
                lengths.append(length)
                lengths.sort()
            entry = (position, c, length, bits)
            for level in self.levels:
                if level > length:
                    break
                self.under.setdefault((slot, level, bits >> (length - level)), []).append(entry)

    def meeting(self, c: Cube) -> list[tuple[int, Cube]]:
        """Earlier cubes whose address prefixes nest with those of ``c`` (a superset of those meeting it).

        Of the two address fields, the one with fewer nesting cubes is used (counted from
        bucket sizes first, so only that list is built).
        """
        best_slot, best_key, best_size = 0, (0, 0), -1
        for slot, (value_at, care_at) in enumerate(self._FIELDS):
            length, bits = self._leading(c[value_at], c[care_at])
            size = self._size(slot, length, bits)
            if best_size < 0 or size < best_size:
                best_slot, best_key, best_size = slot, (length, bits), size
        return self._nesting(best_slot, *best_key) if best_size else []

    def _size(self, slot: int, length: int, bits: int) -> int:
        exact = self.exact
        size = 0
        for other in self.lengths[slot]:
            if other > length:
                break
            size += len(exact.get((slot, other, bits >> (length - other)), ()))
        level = max(lv for lv in self.levels if lv <= length)
        return size + len(self.under.get((slot, level, bits >> (length - level)), ()))

    def _nesting(self, slot: int, length: int, bits: int) -> list[tuple[int, Cube]]:
        found: list[tuple[int, Cube]] = []
        # Shorter (or equal) prefixes containing this one.
        for other in self.lengths[slot]:
            if other > length:
                break
            found.extend(self.exact.get((slot, other, bits >> (length - other)), ()))
        # Longer prefixes inside this one: through the deepest index level at or above its length.
        level = max(lv for lv in self.levels if lv <= length)
        for position, other, other_length, other_bits in self.under.get((slot, level, bits >> (length - level)), ()):
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
    """What a list does with a set of packets (traffic from one zone to another).

    ``rest`` is how the list treats what its specific lines leave over: by a catch-all
    line (``rest_line``: the first line at which the lines so far, together, match all of
    the set) or, when some of the set matches no line, by the default action. ``permits_all``
    is True when no packet of the set is denied (inexact deny lines, which may not match,
    count as denying nothing: the safe side for "is this traffic restricted"). ``meeting``
    are the lines that match some of the set, in order. ``undecided`` is set when the set
    split into too many pieces to decide the rest exactly.
    """

    permits_all: bool
    rest: Action | None
    rest_line: AclLine | None
    meeting: tuple[AclLine, ...]
    undecided: bool = False

    @property
    def permitting(self) -> tuple[AclLine, ...]:
        return tuple(line for line in self.meeting if line.action == "permit")


def traverse(lines: Sequence[AclLine], space: HeaderSpace, default: Action, width: int = 32) -> Traversal:
    """How ``lines`` (first match wins, ``default`` for no match) treat the packets of ``space``.

    Decided without splitting ``space`` by every line (which explodes on long lists): the
    catch-all is found as the first line containing all of ``space`` unless earlier lines
    together already cover it, and "permits everything" fails on the first deny line whose
    share of ``space`` earlier lines do not cover. Both coverage questions are the exact
    subtraction of :func:`unreachable_lines`, on the lines that meet ``space`` only.
    """
    target = space.cubes
    if not target:
        return Traversal(True, None, None, ())
    meeting = [line for line in lines if line.space.meets(space)]
    index = _PrefixIndex(width)
    rest: Action | None = None
    rest_line: AclLine | None = None
    undecided = False
    for position, line in enumerate(meeting):
        if line.exact and all(any(contains(c, t) for c in line.space.cubes) for t in target):
            covered = _covered(target, index, meeting, width)
            if covered is None:
                undecided = True
            elif covered:
                rest_line = meeting[max(covered)]
            else:
                rest_line = line
            meeting = meeting[: meeting.index(rest_line) + 1] if rest_line is not None else meeting[: position + 1]
            break
        if line.exact:
            for c in line.space.cubes:
                index.add(position, c)
    else:
        covered = _covered(target, index, meeting, width)
        if covered is None:
            undecided = True
        elif covered:
            rest_line = meeting[max(covered)]
            meeting = meeting[: max(covered) + 1]
    if rest_line is not None:
        rest = rest_line.action
    elif not undecided:
        rest = default
    permits_all = rest == "permit" and not undecided and _no_deny_reached(meeting, space, width)
    return Traversal(permits_all, rest, rest_line, tuple(meeting), undecided)


def _no_deny_reached(meeting: Sequence[AclLine], space: HeaderSpace, width: int) -> bool:
    """Whether every exact deny line's share of ``space`` is covered by the lines before it."""
    index = _PrefixIndex(width)
    for position, line in enumerate(meeting):
        if line.exact and line.action == "deny":
            share = line.space.intersect(space).cubes
            # Not covered (a packet reaches the deny) or undecided: no proof that all passes.
            if share and not _covered(share, index, meeting, width):
                return False
        if line.exact:
            for c in line.space.cubes:
                index.add(position, c)
    return True
