"""Text that came from a device, made safe for each output it is written to.

Host names, LLDP/CDP neighbour names, interface descriptions and banners are chosen by
whoever configured the device, so every renderer treats them as hostile:

- a terminal runs escape sequences (``ESC ] 0;title BEL`` retitles the window,
  ``ESC [ 2J`` clears it): :func:`for_terminal` drops them and every control character;
- Markdown makes links and emphasis of ``[x](javascript:...)`` and ``*``: :func:`for_markdown`;
- a spreadsheet runs a CSV cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
  formula: :func:`for_csv` prefixes a quote;
- XML (SVG, JUnit) refuses control characters outright: :func:`xml_text`, :func:`xml_attr`;
- Graphviz reads ``"`` and ``\\`` in a quoted id: :func:`dot_string`;
- HTML: Jinja's autoescape escapes; :func:`strip_controls` is its finalize step.

Bidirectional-override characters (U+202A-U+202E, U+2066-U+2069) are dropped
everywhere: they make a line read differently from what it holds.
"""

from __future__ import annotations

import re
from html import escape as _html_escape
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr as _xml_quoteattr

# ANSI/VT escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), and two-byte ESC x.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]")
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROLS = "".join(chr(c) for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))) + _BIDI
_DROP_ALL = str.maketrans("", "", _CONTROLS)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()|~!])")


def strip_controls(text: str, keep: str = "\n\t") -> str:
    """``text`` without escape sequences, control characters and bidi overrides (``keep``: those to keep)."""
    if not text:
        return text
    text = _ESCAPES.sub("", text)
    if not keep:
        return text.translate(_DROP_ALL)
    return text.translate(str.maketrans("", "", "".join(c for c in _CONTROLS if c not in keep)))


def for_terminal(text: str) -> str:
    """Safe to print on a terminal: no escape sequence, no control character but newline and tab."""
    return strip_controls(text)


def for_markdown(text: str) -> str:
    """Plain text in Markdown (a table cell or list item): punctuation escaped, HTML as entities, one line."""
    flat = strip_controls(text, keep="\n").replace("\r", "")
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", flat)
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\n", "<br>")


def markdown_code(text: str) -> str:
    """A Markdown code span: nothing inside is read as Markdown or HTML; a backtick cannot close it."""
    flat = strip_controls(text, keep="").replace("`", "'")
    return f"`{flat}`" if flat.strip() else "` `"


def for_csv(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: a formula-like start gets a leading quote."""
    cleaned = strip_controls(text, keep="\n\t")
    return "'" + cleaned if cleaned.lstrip(" ").startswith(_FORMULA_START) else cleaned


def xml_text(text: str) -> str:
    """Character data for XML/SVG: escaped, with the characters XML 1.0 forbids removed."""
    return _xml_escape(strip_controls(text, keep="\n\t"))


def xml_attr(text: str) -> str:
    """A quoted XML attribute value (quotes included)."""
    return _xml_quoteattr(strip_controls(text, keep=""))


def html_text(text: str) -> str:
    """Text for HTML written without a template (the topology page): escaped, quotes included."""
    return _html_escape(strip_controls(text, keep="\n\t"), quote=True)


def dot_string(text: str) -> str:
    """A Graphviz double-quoted string: ``\\`` and ``"`` escaped, a newline as DOT's ``\\n``."""
    cleaned = strip_controls(text, keep="\n")
    return '"' + cleaned.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
