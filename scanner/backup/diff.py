"""What changed in a configuration: line counts for messages, a masked unified diff for people.

Whatever the store keeps (secrets as shown, or masked), a diff leaves netcomply only
with every line through :func:`~scanner.masking.mask_line`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from scanner.backup.store import ConfigStore, StoreError, config_path
from scanner.backupstatus import Revision
from scanner.masking import mask_line


@dataclass(frozen=True)
class LineChanges:
    """Lines added (numbered in the new text) and removed (numbered in the old text)."""

    added: tuple[tuple[int, str], ...]
    removed: tuple[tuple[int, str], ...]

    @property
    def counts(self) -> str:
        return f"+{len(self.added)} -{len(self.removed)}"


# Above this many differing lines (after the common head and tail are set aside), lines
# that repeat a lot ("!", " no shutdown") stop anchoring matches: the diff stays fast
# and may count a few such lines as changed.
_EXACT_LIMIT = 1_000


def line_changes(old: list[str], new: list[str]) -> LineChanges:
    """Lines added and removed, as a line diff finds them (exact unless the differing part is large)."""
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]:
        tail += 1
    old_mid, new_mid = old[head : len(old) - tail], new[head : len(new) - tail]
    exact = max(len(old_mid), len(new_mid)) <= _EXACT_LIMIT
    matcher = difflib.SequenceMatcher(None, old_mid, new_mid, autojunk=not exact)
    added: list[tuple[int, str]] = []
    removed: list[tuple[int, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed.extend((head + i + 1, old_mid[i]) for i in range(i1, i2))
        if tag in ("replace", "insert"):
            added.extend((head + j + 1, new_mid[j]) for j in range(j1, j2))
    return LineChanges(tuple(added), tuple(removed))


def _open(store: Path | ConfigStore) -> ConfigStore:
    return store if isinstance(store, ConfigStore) else ConfigStore.open(Path(store))


@dataclass(frozen=True)
class BackupDiff:
    """A rendered comparison of two backups of one host; ``changed`` is False when they are equal."""

    text: str
    changed: bool


def backup_diff(store: Path | ConfigStore, host: str, rev_from: str | None = None, rev_to: str | None = None) -> str:
    """What changed in ``host``'s backup between two revisions, as a unified diff with secrets masked.

    ``rev_to`` defaults to the latest backup; ``rev_from`` to the backup before
    ``rev_to``'s version of the host. Revisions are git revisions (a commit id, HEAD~2,
    a tag) or dates YYYY-MM-DD (the last commit on or before that day). Raises
    :class:`~scanner.backup.store.StoreError` when the store, the host or a revision is
    unknown.
    """
    return compare_backups(store, host, rev_from, rev_to).text


def compare_backups(
    store: Path | ConfigStore, host: str, rev_from: str | None = None, rev_to: str | None = None
) -> BackupDiff:
    """:func:`backup_diff`, saying also whether anything changed."""
    opened = _open(store)
    path = config_path(host)
    to = opened.resolve(rev_to or "HEAD")
    changes = opened.git.text("log", "--max-count=2", "--format=%H %ct", to.rev, "--", path).split()
    if not changes:
        raise StoreError(f"the store has no backup of {host} at {to.describe()} (see `netcomply backup log`)")
    if rev_from is not None:
        start = opened.resolve(rev_from)
    elif len(changes) >= 4:
        start = opened.resolve(changes[2])
    else:
        first = opened.resolve(changes[0])
        return BackupDiff(f"{host}: a single backup so far, {first.describe()}; nothing to compare it with\n", False)
    return _diff(opened, host, path, start, to)


def _diff(store: ConfigStore, host: str, path: str, start: Revision, end: Revision) -> BackupDiff:
    raw = store.git.text(
        "diff", "--no-color", "--no-ext-diff", "--no-renames", "--unified=3", start.rev, end.rev, "--", path
    )
    header = f"{host}: backup of {start.describe()} -> backup of {end.describe()}\n"
    if not raw.strip():
        return BackupDiff(header + "no change\n", False)
    lines = raw.splitlines()
    body = [line for line in lines if not line.startswith(("diff --git", "index "))]
    added = sum(1 for line in body if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in body if line.startswith("-") and not line.startswith("---"))
    summary = f"{added} line(s) added, {removed} removed (secrets masked)\n"
    return BackupDiff(header + summary + "\n".join(mask_line(line) for line in body) + "\n", True)
