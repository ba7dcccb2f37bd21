"""Bytes a device or a saved file gave us, as text: decoded deliberately, or refused.

A configuration is judged line by line, so a wrong guess at its encoding is a wrong
verdict: random bytes decoded as Latin-1 "succeed" and then pass every check that
looks for a line. So the encodings devices and their backup tools really write are
tried in a fixed order, and anything else is refused with the reason:

1. a byte-order mark says what follows: UTF-8, UTF-16 LE/BE, UTF-32 LE/BE;
2. UTF-16 without a mark (Windows tools, some TFTP exports) is told by its NUL pattern:
   ASCII text in UTF-16 LE has a NUL in every odd byte, in UTF-16 BE in every even one;
3. UTF-8 (every current device, RANCID, Oxidized, netcomply's own snapshots);
4. GB18030, the superset of GBK/GB2312 (Chinese descriptions on Huawei and H3C devices).

What decodes is still refused when it is not text: more than a few control characters
(NUL, bell, the bytes of a binary file) mean the bytes were never a configuration.
NUL padding at the very end (eNSP exports end in one) is dropped.
"""

from __future__ import annotations

import codecs
import re

# Control characters a real output may hold: tab, line ends, form feed, ESC (terminal
# colour codes before they are stripped), ^C (an IOS banner delimiter saved raw) and
# backspace (what pagers print).
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1b\x03\x08")
# Every control character but the allowed ones, and DEL: what binary data is full of.
_CONTROLS = re.compile("[" + "".join(re.escape(chr(c)) for c in range(32) if chr(c) not in _ALLOWED_CONTROLS) + "\x7f]")
_CONTROL_SHARE = 0.005
_CONTROL_FLOOR = 8
_SAMPLE = 4096

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class UndecodableError(ValueError):
    """Bytes that are not text in any encoding a device or backup tool writes."""


def decode(data: bytes) -> str:
    """``data`` as text (see the module doc for the order); raises :class:`UndecodableError`."""
    text, encoding = _decode(data)
    text = text.rstrip("\x00")
    _require_text(text, encoding)
    return text


def decode_or_none(data: bytes) -> str | None:
    """``data`` as text, or None when it is not text."""
    try:
        return decode(data)
    except UndecodableError:
        return None


def decode_message(data: bytes) -> str:
    """A diagnostic (stderr, an error line) as text: never refused, unknown bytes shown as U+FFFD."""
    try:
        return decode(data)
    except UndecodableError:
        return data.decode("utf-8", errors="replace")


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                why = f"starts with a {encoding} byte-order mark but is not {encoding}: {exc.reason}"
                raise UndecodableError(why) from None
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UndecodableError("binary data: not text in UTF-8, UTF-16 or GB18030")


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the NULs sit in every other byte, as in mostly-ASCII UTF-16 text."""
    sample = data[: _SAMPLE - _SAMPLE % 2]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    half = len(sample) // 2
    even = sample[0::2].count(0) / half
    odd = sample[1::2].count(0) / half
    if odd >= 0.6 and even <= 0.05:
        return "utf-16-le"
    if even >= 0.6 and odd <= 0.05:
        return "utf-16-be"
    return None


def _require_text(text: str, encoding: str) -> None:
    controls = len(_CONTROLS.findall(text))
    if controls > max(_CONTROL_FLOOR, len(text) * _CONTROL_SHARE):
        raise UndecodableError(
            f"binary data: {controls} control characters in {len(text)} characters (read as {encoding})"
        )
