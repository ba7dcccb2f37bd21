"""Lists kept compressed in memory, so that a scan's memory does not grow with the estate.

A 10,000-host scan has over 200,000 findings, and a record per host for the network-wide
checks (its neighbours, its addressed interfaces with their evidence). As objects they
would be most of the scan's memory (some 20 KB per host), and because they are made
while each host's configuration tree is alive, the allocator cannot give the tree's
memory back either. :class:`PackedList` keeps each batch (one host's findings, one
host's record) pickled and zlib-compressed, and decodes a batch when it is read. The
first batches (32 KiB of them, uncompressed) become a preset zlib dictionary for every
later one: hosts repeat each other's check ids, messages, fixes and field names, so a
host's findings then take about 400 bytes.

It is a read-only ``Sequence`` for its readers (renderers, the store, the summary, the
network models): every iteration decodes the batches again, in order, so a reader that
walks it several times costs time, not memory. Items come back equal, not identical:
a reader that needs one object per item reads the sequence once into a list.

The bytes never leave the process: they are the same objects, in memory, smaller.
"""

from __future__ import annotations

import io
import pickle
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Generic, TypeVar, overload

_DICTIONARY_SIZE = 32 * 1024  # zlib's window: a longer preset dictionary is not used
_BATCH_SIZE = 64 * 1024  # pickled bytes gathered before they are compressed together
SLICE = 256  # items pickled together at most


T = TypeVar("T")


class Pickled(Generic[T]):
    """A list pickled as a :class:`PackedList` keeps it: a worker's findings cross to the client so,
    and the client adds the bytes to its own list without unpickling and pickling them again."""

    __slots__ = ("count", "raw")

    def __init__(self, items: list[T]) -> None:
        self.raw = pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)
        self.count = len(items)

    def items(self) -> list[T]:
        return pickle.loads(self.raw)  # type: ignore[no-any-return]

    def __len__(self) -> int:
        return self.count


class PackedList(Sequence[T], Generic[T]):
    """An append-only sequence, stored as compressed batches."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._batches: list[bytes] = []
        self._ends = array("q")  # cumulative length after each sealed batch
        self._pending: list[bytes] = []  # pickled lists not sealed yet (under _BATCH_SIZE bytes)
        self._pending_size = 0
        self._pending_items = 0
        self._dictionary: bytes | None = None
        self._cached: tuple[int, list[T]] | None = None  # the batch read last, by number
        self._pending_cached: tuple[int, list[T]] | None = None  # the unsealed items read last, by their count
        self.extend(items)

    def extend(self, items: Iterable[T] | Pickled[T]) -> None:
        if isinstance(items, Pickled):
            self._add(items.raw, items.count)  # pickled elsewhere already: its size is the sender's
            return
        batch = list(items)
        # A long list (the network checks' findings of a whole estate) is pickled a slice at a
        # time: one pickle of it all, joined and compressed, would be a peak of its own.
        for start in range(0, len(batch), SLICE):
            part = batch[start : start + SLICE]
            self._add(pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL), len(part))

    def _add(self, raw: bytes, count: int) -> None:
        """``raw``: a pickled list of ``count`` items."""
        self._pending.append(raw)
        self._pending_size += len(raw)
        self._pending_items += count
        if self._pending_size >= _BATCH_SIZE:
            self._seal()

    def append(self, item: T) -> None:
        self.extend((item,))

    def _seal(self) -> None:
        raw = b"".join(self._pending)
        if self._dictionary is None:
            self._batches.append(zlib.compress(raw, 6))
            self._dictionary = raw[-_DICTIONARY_SIZE:]
        else:
            packer = zlib.compressobj(6, zdict=self._dictionary)
            self._batches.append(packer.compress(raw) + packer.flush())
        self._ends.append(self._sealed() + self._pending_items)
        self._pending, self._pending_size, self._pending_items = [], 0, 0
        self._pending_cached = None

    def _sealed(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __len__(self) -> int:
        return self._sealed() + self._pending_items

    def __iter__(self) -> Iterator[T]:
        for index in range(len(self._batches)):
            yield from self._batch(index)
        for raw in list(self._pending):
            yield from pickle.loads(raw)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step == 1:
                return list(islice(iter(self), start, max(start, stop)))
            return list(self)[index]
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("index out of range")
        sealed = self._sealed()
        if index >= sealed:
            return self._pending_items_list()[index - sealed]
        number = bisect_right(self._ends, index)
        first = self._ends[number - 1] if number else 0
        return self._batch(number)[index - first]

    def _pending_items_list(self) -> list[T]:
        cached = self._pending_cached
        if cached is not None and cached[0] == self._pending_items:
            return cached[1]
        items = [item for raw in self._pending for item in pickle.loads(raw)]
        self._pending_cached = (self._pending_items, items)
        return items

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PackedList({len(self)} items in {len(self._batches)} batches)"

    def __reduce__(self) -> tuple[type[PackedList[T]], tuple[list[T]]]:
        return (PackedList, (list(self),))

    @property
    def stored_bytes(self) -> int:
        """The size of every batch, compressed, and of what is not sealed yet (the bench prints it)."""
        return sum(len(b) for b in self._batches) + self._pending_size

    def _batch(self, index: int) -> list[T]:
        cached = self._cached
        if cached is not None and cached[0] == index:
            return cached[1]
        if index == 0:
            raw = zlib.decompress(self._batches[index])
        else:
            unpacker = zlib.decompressobj(zdict=self._dictionary)  # type: ignore[arg-type]
            raw = unpacker.decompress(self._batches[index]) + unpacker.flush()
        stream = io.BytesIO(raw)
        batch: list[T] = []
        while stream.tell() < len(raw):
            batch.extend(pickle.load(stream))
        self._cached = (index, batch)
        return batch
