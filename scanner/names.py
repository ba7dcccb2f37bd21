"""Host names are file names: one rule for every place netcomply writes a file named after a host.

Collection (``collect --out``, ``scan --save-snapshots``), SNMP documents, the backup
store and the snapshot writer all make ``<folder>/<host>...``. A host name comes from
an inventory somebody else may edit, so it is refused when it could leave the folder
or confuse a reader: empty, ``.`` or ``..``, an absolute path, ``/`` or ``\\``, NUL
or any other control character.
"""

from __future__ import annotations

from pathlib import Path


class UnsafeName(ValueError):
    """A name that cannot be used as a file name under netcomply's folders."""


def file_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a file or folder of its own, or None when it can."""
    if not name or not name.strip():
        return "it is empty"
    if name in (".", ".."):
        return f"{name!r} names a folder, not a host"
    if "/" in name or "\\" in name:
        return "it holds '/' or '\\' (a path, not a name)"
    bad = next((ch for ch in name if ord(ch) < 0x20 or ord(ch) == 0x7F), None)
    if bad is not None:
        return f"it holds the control character {bad!r}"
    return None


def require_file_name(name: str, what: str = "host name") -> str:
    """``name`` when it may name a file; raises :class:`UnsafeName` saying why not."""
    problem = file_name_problem(name)
    if problem is not None:
        raise UnsafeName(f"{what} {name!r} cannot be used as a file name: {problem}")
    return name


def child(folder: Path, name: str, what: str = "host name") -> Path:
    """``folder / name`` for a name that stays inside ``folder``."""
    return folder / require_file_name(name, what)
