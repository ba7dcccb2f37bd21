"""The findings of a run, kept compressed so that a run's memory does not grow with the estate.

A 10,000-host scan has over 200,000 findings. As objects they would be most of the
scan's memory (about 5 KB per host). :class:`FindingLog` keeps each batch (one host's
findings, as the engine appends them) pickled and zlib-compressed, and decodes a batch
when it is read. The first batches (32 KiB of them, uncompressed) become a preset zlib
dictionary for every later one: hosts' findings repeat each other's check ids, messages
and fixes, so a host's batch then takes about 400 bytes (20 per finding).

It is a read-only ``Sequence[Finding]`` for its readers (renderers, the store, the
summary): every iteration decodes the batches again, in order, so a reader that walks it
several times costs time, not memory.

The bytes never leave the process: they are the same findings, in memory, smaller.
"""

from __future__ import annotations

import pickle
import zlib
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import overload

from scanner.model import Finding

_DICTIONARY_SIZE = 32 * 1024  # zlib's window: a longer preset dictionary is not used


class FindingLog(Sequence[Finding]):
    """An append-only sequence of findings, stored as compressed batches."""

    def __init__(self, findings: Iterable[Finding] = ()) -> None:
        self._batches: list[bytes] = []
        self._ends: list[int] = []  # cumulative length after each batch
        self._cached: tuple[int, list[Finding]] | None = None
        self._priming: list[bytes] = []
        self._dictionary: bytes | None = None
        self._plain = 0  # the first batches, compressed before the dictionary was made
        self.extend(findings)

    def extend(self, findings: Iterable[Finding]) -> None:
        """Append ``findings`` as one batch."""
        batch = list(findings)
        if not batch:
            return
        raw = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
        if self._dictionary is None:
            self._batches.append(zlib.compress(raw, 6))
            self._plain += 1
            self._priming.append(raw)
            if sum(map(len, self._priming)) >= _DICTIONARY_SIZE:
                self._dictionary = b"".join(self._priming)[-_DICTIONARY_SIZE:]
                self._priming = []
        else:
            packer = zlib.compressobj(6, zdict=self._dictionary)
            self._batches.append(packer.compress(raw) + packer.flush())
        self._ends.append(len(self) + len(batch))

    def append(self, finding: Finding) -> None:
        self.extend((finding,))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __iter__(self) -> Iterator[Finding]:
        for index in range(len(self._batches)):
            yield from self._batch(index)

    @overload
    def __getitem__(self, index: int) -> Finding: ...
    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...
    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step == 1:
                return list(islice(iter(self), start, max(start, stop)))
            return list(self)[index]
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("finding index out of range")
        number = bisect_right(self._ends, index)
        first = self._ends[number - 1] if number else 0
        return self._batch(number)[index - first]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FindingLog({len(self)} findings in {len(self._batches)} batches)"

    def __reduce__(self) -> tuple[type[FindingLog], tuple[list[Finding]]]:
        return (FindingLog, (list(self),))

    @property
    def stored_bytes(self) -> int:
        """The compressed size of every batch (the bench prints it)."""
        return sum(len(b) for b in self._batches)

    def _batch(self, index: int) -> list[Finding]:
        cached = self._cached
        if cached is not None and cached[0] == index:
            return cached[1]
        if index < self._plain:
            raw = zlib.decompress(self._batches[index])
        else:
            unpacker = zlib.decompressobj(zdict=self._dictionary)  # type: ignore[arg-type]
            raw = unpacker.decompress(self._batches[index]) + unpacker.flush()
        batch: list[Finding] = pickle.loads(raw)
        self._cached = (index, batch)
        return batch
