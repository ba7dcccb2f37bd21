"""Show-command parsing through ntc-templates (TextFSM), with the templates compiled once.

``ntc_templates.parse.parse_output`` reads the index and compiles the template on every
call; a scan of hundreds of devices parses the same few commands over and over, so the
index lookup and the compiled template are cached here (one FSM per thread: a TextFSM
object holds parse state).
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

import textfsm
from textfsm import clitable


class ShowParseError(Exception):
    """The output does not match the template (a TextFSM Error state)."""


@cache
def _index() -> tuple[clitable.IndexTable, Path]:
    from ntc_templates.parse import _get_template_dir

    template_dir = Path(_get_template_dir())
    table = clitable.CliTable("index", str(template_dir))
    return table.index, template_dir


@cache
def template_path(ntc_platform: str, command: str) -> Path | None:
    """The ntc-templates template for ``command`` on ``ntc_platform``, or None when there is none."""
    index, template_dir = _index()
    row = index.GetRowMatch({"Platform": ntc_platform, "Command": command})
    if not row:
        return None
    name = index.index[row]["Template"].split(":")[0]
    return template_dir / name


@cache
def _template_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


_local = threading.local()


def _fsm(path: Path) -> textfsm.TextFSM:
    cached: dict[Path, textfsm.TextFSM] | None = getattr(_local, "fsms", None)
    if cached is None:
        cached = _local.fsms = {}
    fsm = cached.get(path)
    if fsm is None:
        import io

        fsm = cached[path] = textfsm.TextFSM(io.StringIO(_template_text(path)))
    else:
        fsm.Reset()
    return fsm


def parse_show(ntc_platform: str, command: str, text: str) -> list[dict[str, str]] | None:
    """Rows (lower-case keys) parsed from ``text``, or None when no template exists."""
    path = template_path(ntc_platform, command)
    if path is None:
        return None
    fsm = _fsm(path)
    try:
        rows = fsm.ParseText(text)
    except textfsm.TextFSMError as exc:
        raise ShowParseError(f"{command}: output does not match the ntc-templates template ({exc})") from exc
    header = [h.lower() for h in fsm.header]
    return [dict(zip(header, row, strict=True)) for row in rows]


def locate(text: str, *needles: str, start: int = 1) -> tuple[int, str]:
    """(line number, line) of the first line at or after ``start`` holding every needle; (0, '') if none."""
    wanted = [n for n in needles if n]
    for number, line in enumerate(text.splitlines(), 1):
        if number >= start and all(n in line for n in wanted):
            return number, line
    return 0, ""
