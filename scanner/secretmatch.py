"""Find many literal strings in a text, word-bounded, at a cost that does not grow with their number.

This is the redactor's matcher (:class:`scanner.masking.Redactor`). It finds what the
regular expression ``(?<![A-Za-z0-9])(?:v1|v2|...)(?![A-Za-z0-9])`` with the values
sorted longest first would find (leftmost, then longest, never overlapping), without
ever compiling one: a regex of every secret of every host had to be recompiled after
each new secret, which made a scan of N hosts cost N squared.

Every value is indexed by its first :data:`ANCHOR` characters (the anchor), with the
distinct lengths of the values behind each anchor. A text is matched in one of two ways:

* short texts (a configuration line, a log message): every position that may start a
  value (not preceded by a letter or digit, on a character some value starts with) is
  looked up in the anchor index: work proportional to the text, none to build;
* long texts (a report, a diff): an Aho-Corasick automaton of the anchors (pyahocorasick)
  finds the positions in one pass. It is rebuilt only when values were added since, and
  only for a text at least as long as the anchors are many, so its building is paid for
  by the text it scans.

Adding a value is a dictionary insert. Nothing is recompiled per value, and no work per
text depends on how many values there are (beyond the hits themselves).
"""

from __future__ import annotations

import re
import string
import threading
from collections.abc import Iterator

import ahocorasick

# Every value is at least this long: its first ANCHOR characters index it.
ANCHOR = 6
# Texts shorter than this are looked up position by position, without the automaton.
LONG_TEXT = 4096
_WORD = frozenset(string.ascii_letters + string.digits)


class LiteralSet:
    """A growing set of literal strings (each at least :data:`ANCHOR` long) and their bounded occurrences."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._lengths: dict[str, tuple[int, ...]] = {}
        self._first: set[str] = set()
        self._starts: re.Pattern[str] | None = None
        self._automaton: ahocorasick.Automaton | None = None
        self._automaton_anchors = 0
        self._lock = threading.Lock()
        # Work counters, read by the tests that guard against growth with the number of values.
        self.built = 0  # anchors put into automata, summed over every build
        self.compiled = 0  # regular expressions compiled (one per new first character)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, value: object) -> bool:
        return value in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._values))

    def add(self, value: str) -> bool:
        """Add ``value``; False when it was already there."""
        if len(value) < ANCHOR:
            raise ValueError(f"a value is at least {ANCHOR} characters long")
        with self._lock:
            if value in self._values:
                return False
            self._values.add(value)
            anchor = value[:ANCHOR]
            lengths = self._lengths.get(anchor, ())
            if len(value) not in lengths:
                self._lengths[anchor] = tuple(sorted((*lengths, len(value)), reverse=True))
            if value[0] not in self._first:
                self._first.add(value[0])
                self._starts = None
            return True

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._lengths.clear()
            self._first.clear()
            self._starts = None
            self._automaton = None
            self._automaton_anchors = 0

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The ``(start, end)`` of every occurrence, leftmost-longest, not overlapping, in order."""
        if not self._values or len(text) < ANCHOR:
            return []
        if len(text) >= LONG_TEXT:
            automaton = self._current_automaton(len(text))
            if automaton is not None:
                return self._spans_by_automaton(automaton, text)
        return self._spans_by_position(text)

    def _current_automaton(self, budget: int) -> ahocorasick.Automaton | None:
        """The automaton of every anchor, rebuilt when stale and ``budget`` (a text's length) pays for it."""
        with self._lock:
            anchors = len(self._lengths)
            if self._automaton is not None and self._automaton_anchors == anchors:
                return self._automaton
            if anchors > budget:
                return None
            automaton = ahocorasick.Automaton()
            for anchor in self._lengths:
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

    def _match_at(self, text: str, start: int, lengths: tuple[int, ...]) -> int:
        """The end of the longest value at ``start`` followed by no letter or digit, or -1."""
        values = self._values
        size = len(text)
        for length in lengths:
            end = start + length
            if end <= size and text[start:end] in values and (end == size or text[end] not in _WORD):
                return end
        return -1

    def _spans_by_position(self, text: str) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        index = self._lengths
        resume = 0
        for candidate in self._starts_pattern().finditer(text):
            start = candidate.start()
            if start < resume:
                continue
            lengths = index.get(text[start : start + ANCHOR])
            if lengths:
                end = self._match_at(text, start, lengths)
                if end > 0:
                    spans.append((start, end))
                    resume = end
        return spans

    def _spans_by_automaton(self, automaton: ahocorasick.Automaton, text: str) -> list[tuple[int, int]]:
        # Every anchor has the same length, so hits come in the order of their start.
        spans: list[tuple[int, int]] = []
        index = self._lengths
        resume = 0
        for last, anchor in automaton.iter(text):
            start = last - ANCHOR + 1
            if start < resume or (start and text[start - 1] in _WORD):
                continue
            end = self._match_at(text, start, index.get(anchor, ()))
            if end > 0:
                spans.append((start, end))
                resume = end
        return spans
