"""Collected hosts into the scan: saved in the snapshot layout when asked, then handed on as scan inputs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from scanner.collect.options import CollectRun, HostCollection
from scanner.names import UnsafeName
from scanner.snapshot import HostInput, write_snapshot


class CollectAbort(Exception):
    """Live collection cannot start (bad inventory, unreadable known_hosts)."""


def save_run(run: CollectRun, out: Path) -> int:
    """Write every collected host in the snapshot layout; a failed host's earlier snapshot is left as it was."""
    saved = 0
    for _host, outcome in run:
        if outcome.snapshot is not None:
            _save(out, outcome)
            saved += 1
    return saved


def _save(out: Path, outcome: HostCollection) -> None:
    assert outcome.snapshot is not None
    try:
        outcome.snapshot.directory = write_snapshot(out, outcome.snapshot)
    except OSError as exc:
        raise CollectAbort(f"cannot save the snapshot of {outcome.name} in {out}: {exc.strerror or exc}") from None
    except UnsafeName as exc:
        raise CollectAbort(f"not saving in {out}: {exc}") from None


def live_inputs(run: CollectRun, save_to: Path | None = None) -> Iterator[HostInput]:
    """The scan's inputs from a collection, saving each collected host first when ``save_to`` is given."""
    for host, outcome in run:
        if outcome.snapshot is None:
            yield HostInput(host=host, snapshot=None, error=str(outcome.error))
            continue
        if save_to is not None:
            _save(save_to, outcome)
        yield HostInput(host=host, snapshot=outcome.snapshot)


__all__ = ["CollectAbort", "live_inputs", "save_run"]
