"""Telling a configuration from what can stand in its place in a file or a session.

A backup tool that hit a web interface saves its error page; a session cut short
saves a banner; a script saves ``show running-config | display xml``. None of these
is the text configuration the platform parser reads, and a verdict that rests on a
line being absent must never be drawn from them.
"""

from __future__ import annotations

import re

_HTML = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?<(?:!doctype\s+html|html|head|body|title)\b", re.I)
_XML = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?<(?:rpc-reply|configuration|data|config)\b[^>]*>", re.I)
_JSON = re.compile(r"\A\s*[{\[]\s*\"")
# A device's prompt after the last statement in a capture from a terminal:
# "core1#", "user@fw1>", "<HUAWEI>", "[H3C]".
_PROMPT = re.compile(r"^(?:[\w.\-]+(?:\([\w.\-]+\))?[#>]|[\w.\-]+@[\w.\-]+[#>%]|<[\w.\-]+>|\[[~*]?[\w.\-]+\])$")


def foreign_document(text: str) -> str | None:
    """What ``text`` is when it is a document of another kind (HTML, XML, JSON), else None."""
    head = text[:2048]
    if _HTML.search(head):
        return "an HTML page, not a configuration"
    if _XML.search(head):
        return "an XML document, not the text configuration (collect it as text)"
    if _JSON.search(head):
        return "a JSON document, not the text configuration (collect it as text)"
    return None


# How much of a text's end last_statement reads first: its last lines, not the whole text.
_TAIL = 4096


def last_statement(text: str) -> str:
    """The last non-blank line of ``text``, stripped, skipping a device prompt a terminal capture ends with.

    Read from the last few KB first (the first line of that tail may be cut, so it is never
    the answer), and from the whole text only when the tail holds no statement.
    """
    if len(text) > _TAIL:
        found = _last_statement(text[-_TAIL:].splitlines()[1:])
        if found is not None:
            return found
    return _last_statement(text.splitlines()) or ""


def _last_statement(lines: list[str]) -> str | None:
    seen = 0
    for line in reversed(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if seen == 0 and _PROMPT.match(stripped):
            seen += 1
            continue
        return stripped
    return None


def first_statement(text: str) -> str:
    """The first non-blank line of ``text``, shortened for a message."""
    for line in text.splitlines():
        if line.strip():
            stripped = line.strip()
            return stripped if len(stripped) <= 60 else stripped[:57] + "..."
    return ""
