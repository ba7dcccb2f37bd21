"""JSON as Windows PowerShell 5.1's ``ConvertTo-Json`` writes it, read into records with their line numbers.

Its quirks, each handled here once:

* a pipeline of one object gives that object, not a one-element array; none gives an
  empty text (``ConvertTo-Json -InputObject @()`` gives ``[]``);
* a date is ``"\\/Date(1700000000000)\\/"`` (milliseconds since 1970, UTC, sometimes
  with an offset such as ``+0800``), or an object ``{"value": "\\/Date(...)\\/",
  "DateTime": "<localised text>"}`` when PowerShell had wrapped the value (Get-HotFix's
  InstalledOn), or null; CIM may give a DMTF string (``20240314093000.000000+480``);
* an enum is its number (``DefaultInboundAction: 4``), a bool may be a number too;
* objects are indented with irregular spacing (``"Name":  "Guest"``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")
_DMTF = re.compile(r"^(\d{14})\.\d+([+-]\d{3})$")


class PsJsonError(ValueError):
    """A file that is not the JSON ConvertTo-Json writes."""


@dataclass(frozen=True)
class Record:
    """One object of the file, with the line it starts on and the text it spans."""

    data: dict[str, Any]
    line: int
    start: int
    end: int


def records(text: str) -> list[Record]:
    """Every object of the file: an array's elements, or the single object; none for an empty file."""
    body = text.lstrip("\ufeff")
    stripped = body.strip()
    if not stripped or stripped == "null":
        return []
    decoder = json.JSONDecoder()
    offset = len(body) - len(body.lstrip())
    if stripped[0] == "[":
        items = _array_items(body, offset + 1, decoder)
    else:
        items = [_decode_at(body, offset, decoder)]
        end = items[0][2]
        if body[end:].strip():
            raise PsJsonError(f"unexpected text after the JSON object at line {_line(body, end)}")
    found = []
    for value, start, end in items:
        if value is None:
            continue
        if not isinstance(value, dict):
            raise PsJsonError(f"line {_line(body, start)}: an object was expected, found {type(value).__name__}")
        found.append(Record(value, _line(body, start), start, end))
    return found


def _array_items(text: str, index: int, decoder: json.JSONDecoder) -> list[tuple[Any, int, int]]:
    items: list[tuple[Any, int, int]] = []
    index = _skip_space(text, index)
    if index < len(text) and text[index] == "]":
        return items
    while True:
        value, start, index = _decode_at(text, index, decoder)
        items.append((value, start, index))
        index = _skip_space(text, index)
        if index >= len(text):
            raise PsJsonError("the JSON array is cut short (no closing bracket)")
        if text[index] == "]":
            if text[index + 1 :].strip():
                raise PsJsonError(f"unexpected text after the JSON array at line {_line(text, index)}")
            return items
        if text[index] != ",":
            raise PsJsonError(f"line {_line(text, index)}: a comma or a closing bracket was expected")
        index += 1


def _decode_at(text: str, index: int, decoder: json.JSONDecoder) -> tuple[Any, int, int]:
    index = _skip_space(text, index)
    try:
        value, end = decoder.raw_decode(text, index)
    except json.JSONDecodeError as exc:
        raise PsJsonError(f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    return value, index, end


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def key_line(text: str, record: Record, key: str) -> int:
    """The line of ``"key":`` inside the record (its first line when the key is not written)."""
    match = re.compile(r'"' + re.escape(key) + r'"\s*:').search(text.lstrip("\ufeff"), record.start, record.end)
    return _line(text.lstrip("\ufeff"), match.start()) if match else record.line


# ---- values ------------------------------------------------------------------------------


def date_value(value: Any) -> datetime | None:
    """A date as ConvertTo-Json or CIM writes it, in UTC; None for null, empty or unreadable."""
    if isinstance(value, dict):
        value = value.get("value", value.get("DateTime"))
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, UTC)
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _DATE.match(text)
    if match:
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=int(match.group(1)))
    match = _DMTF.match(text)
    if match:
        local = datetime.strptime(match.group(1), "%Y%m%d%H%M%S")
        return local.replace(tzinfo=timezone(timedelta(minutes=int(match.group(2))))).astimezone(UTC)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def calendar_day(value: Any) -> date | None:
    """The calendar day of a date-only value (Get-HotFix's InstalledOn), as the host names it.

    Windows gives such a day as the host's local midnight, and ConvertTo-Json writes that
    instant in UTC: on a host east of UTC (China, UTC+8) the instant falls on the day before.
    The nearest UTC midnight is the host's day for every offset from UTC-11 to UTC+11.
    """
    instant = date_value(value)
    return (instant + timedelta(hours=12)).date() if instant else None


def bool_value(value: Any) -> bool | None:
    """True/False, "True"/"False", 1/0; None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value) if value in (0, 1) else None
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
    return None


def enum_name(value: Any, names: dict[int, str]) -> str | None:
    """An enum as ConvertTo-Json writes it (its number) or as text (its name), as its name."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return names.get(value, str(value))
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return names.get(int(text), text)
        for name in names.values():
            if name.lower() == text.lower():
                return name
        return text
    return None


def int_value(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def text_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get("value", ""))
    return str(value)


def strings(value: Any) -> list[str]:
    """A list field (KBArticleIDs): one string written alone, or an array."""
    if value is None:
        return []
    if isinstance(value, list):
        return [text_value(v) for v in value if v is not None]
    return [text_value(value)]


def summary(data: dict[str, Any], keys: tuple[str, ...]) -> str:
    """``Name=Guest Enabled=True ...``: the record's fields that matter, as one evidence line."""
    parts = []
    for key in keys:
        if key not in data:
            continue
        value = data[key]
        if isinstance(value, dict) and "value" in value:
            value = value["value"]
        if isinstance(value, str):
            match = _DATE.match(value)
            if match:
                value = date_value(value).isoformat() if date_value(value) else value  # type: ignore[union-attr]
        if isinstance(value, list):
            value = ",".join(str(v) for v in value)
        parts.append(f"{key}={'null' if value is None else value}")
    return " ".join(parts)
