"""Find many literal strings in a text, word-bounded, at a cost that does not grow with their number.

This is the redactor's matcher (:class:`scanner.masking.Redactor`). It finds what the
regular expression ``(?<![A-Za-z0-9])(?:v1|v2|...)(?![A-Za-z0-9])`` with the values
sorted longest first would find (leftmost, then longest, never overlapping), without
ever compiling one: a regex of every secret of every host had to be recompiled after
each new secret, which made a scan of N hosts cost N squared.

Every value is indexed by its first :data:`ANCHOR` characters (the anchor). The value
itself is not kept, only its fingerprint: its length and a 56-bit keyed hash (Python's
own ``hash``, salted per process), so a 10,000-host estate costs about 150 bytes per
secret and the matcher's memory holds no secret but six leading characters. A text is
matched in one of two ways:

* short texts (a configuration line, a log message): every position that may start a
  value (not preceded by a letter or digit, on a character some value starts with) is
  looked up in the anchor index: work proportional to the text, none to build;
* long texts (a report, a diff): an Aho-Corasick automaton of the anchors (pyahocorasick)
  finds the positions in one pass. It is rebuilt only when values were added since, and
  only for a text at least as long as the anchors are many, so its building is paid for
  by the text it scans.

At a candidate position, the fingerprint of the text there (for each length behind that
anchor, longest first) is compared. Adding a value is a dictionary insert. Nothing is
recompiled per value, and no work per text depends on how many values there are.
"""

from __future__ import annotations

import re
import string
import threading

import ahocorasick

# Every value is at least this long: its first ANCHOR characters index it.
ANCHOR = 6
# Texts shorter than this are looked up position by position, without the automaton.
LONG_TEXT = 4096
_WORD = frozenset(string.ascii_letters + string.digits)


_HASH_BITS = 56


def fingerprint(value: str) -> int:
    """The length of ``value`` and a 56-bit hash of it, in one int: what the set keeps of a value."""
    return (len(value) << _HASH_BITS) | (hash(value) & ((1 << _HASH_BITS) - 1))


class LiteralSet:
    """A growing set of literal strings (each at least :data:`ANCHOR` long) and their bounded occurrences."""

    def __init__(self) -> None:
        # anchor -> the fingerprint of its one value, or a tuple of them, longest value first
        self._index: dict[str, int | tuple[int, ...]] = {}
        self._size = 0
        self._first: set[str] = set()
        self._starts: re.Pattern[str] | None = None
        self._automaton: ahocorasick.Automaton | None = None
        self._automaton_anchors = 0
        self._lock = threading.Lock()
        # Work counters, read by the tests that guard against growth with the number of values.
        self.built = 0  # anchors put into automata, summed over every build
        self.compiled = 0  # regular expressions compiled (one per new first character)

    def __len__(self) -> int:
        return self._size

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, str) or len(value) < ANCHOR:
            return False
        return fingerprint(value) in self._fingerprints(value[:ANCHOR])

    def _fingerprints(self, anchor: str) -> tuple[int, ...]:
        entry = self._index.get(anchor, ())
        return (entry,) if isinstance(entry, int) else entry

    def add(self, value: str) -> bool:
        """Add ``value``; False when it was already there."""
        if len(value) < ANCHOR:
            raise ValueError(f"a value is at least {ANCHOR} characters long")
        mark = fingerprint(value)
        anchor = value[:ANCHOR]
        with self._lock:
            known = self._fingerprints(anchor)
            if mark in known:
                return False
            if known:
                self._index[anchor] = tuple(sorted((*known, mark), reverse=True))
            else:
                self._index[anchor] = mark
            self._size += 1
            if value[0] not in self._first:
                self._first.add(value[0])
                self._starts = None
            return True

    def clear(self) -> None:
        with self._lock:
            self._index.clear()
            self._size = 0
            self._first.clear()
            self._starts = None
            self._automaton = None
            self._automaton_anchors = 0

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The ``(start, end)`` of every occurrence, leftmost-longest, not overlapping, in order."""
        if not self._size or len(text) < ANCHOR:
            return []
        if len(text) >= LONG_TEXT:
            automaton = self._current_automaton(len(text))
            if automaton is not None:
                return self._spans_by_automaton(automaton, text)
        return self._spans_by_position(text)

    def _current_automaton(self, budget: int) -> ahocorasick.Automaton | None:
        """The automaton of every anchor, rebuilt when stale and ``budget`` (a text's length) pays for it."""
        with self._lock:
            anchors = len(self._index)
            if self._automaton is not None and self._automaton_anchors == anchors:
                return self._automaton
            if anchors > budget:
                return None
            automaton = ahocorasick.Automaton()
            for anchor in self._index:
                automaton.add_word(anchor, anchor)
            automaton.make_automaton()
            self.built += anchors
            self._automaton, self._automaton_anchors = automaton, anchors
            return automaton

    def _starts_pattern(self) -> re.Pattern[str]:
        pattern = self._starts
        if pattern is None:
            with self._lock:
                first = "".join(sorted(self._first))
                pattern = self._starts = re.compile(f"(?<![A-Za-z0-9])[{re.escape(first)}]")
                self.compiled += 1
        return pattern

    @staticmethod
    def _match_at(text: str, start: int, entry: int | tuple[int, ...]) -> int:
        """The end of the longest value at ``start`` followed by no letter or digit, or -1."""
        size = len(text)
        for mark in (entry,) if isinstance(entry, int) else entry:
            end = start + (mark >> _HASH_BITS)
            if end <= size and (end == size or text[end] not in _WORD) and fingerprint(text[start:end]) == mark:
                return end
        return -1

    def _spans_by_position(self, text: str) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        index = self._index
        resume = 0
        for candidate in self._starts_pattern().finditer(text):
            start = candidate.start()
            if start < resume:
                continue
            entry = index.get(text[start : start + ANCHOR])
            if entry is not None:
                end = self._match_at(text, start, entry)
                if end > 0:
                    spans.append((start, end))
                    resume = end
        return spans

    def _spans_by_automaton(self, automaton: ahocorasick.Automaton, text: str) -> list[tuple[int, int]]:
        # Every anchor has the same length, so hits come in the order of their start.
        spans: list[tuple[int, int]] = []
        index = self._index
        resume = 0
        for last, anchor in automaton.iter(text):
            start = last - ANCHOR + 1
            if start < resume or (start and text[start - 1] in _WORD):
                continue
            entry = index.get(anchor)
            if entry is None:
                continue
            end = self._match_at(text, start, entry)
            if end > 0:
                spans.append((start, end))
                resume = end
        return spans
