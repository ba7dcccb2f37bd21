"""Check titles and messages in other languages: ``<lang>.yaml`` (check id -> title) and
``<lang>_messages.yaml`` (check id -> messages by key, and a prose remediation).

The English title and messages stay beside each check; a translation never changes a
check's code. A finding keeps its message key and (masked, formatted) parameters, so a
report can word it again here; whatever a language file lacks falls back to English,
as does a finding of a run stored before message keys existed.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

from scanner.model import Finding, Status


def _load(name: str) -> dict[str, Any]:
    entry = resources.files(__name__).joinpath(name)
    if not entry.is_file():
        return {}
    return dict(yaml.safe_load(entry.read_text(encoding="utf-8")) or {})


@cache
def _titles(lang: str) -> dict[str, str]:
    return {str(k): str(v) for k, v in _load(f"{lang}.yaml").items()}


@cache
def messages(lang: str) -> dict[str, Any]:
    """The ``<lang>_messages.yaml`` table (empty for English and for a language without one)."""
    return _load(f"{lang}_messages.yaml") if lang != "en" else {}


def title(check_id: str, lang: str, default: str) -> str:
    """The title of ``check_id`` in ``lang``, or ``default`` (the English one)."""
    if lang == "en":
        return default
    return _titles(lang).get(check_id, default)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _template(check_id: str, key: str, lang: str) -> str | None:
    table = messages(lang)
    own = (table.get(check_id) or {}).get("messages") or {}
    found = own.get(key) or (table.get("_common") or {}).get(key)
    return str(found) if found is not None else None


@cache
def _phrases(lang: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern), replacement) for pattern, replacement in messages(lang).get("_phrases") or ())


def _value(value: str, lang: str) -> str:
    """A parameter value in ``lang``: a known whole value, else its known English fragments replaced."""
    known = messages(lang).get("_values") or {}
    if value in known:
        return str(known[value])
    for pattern, replacement in _phrases(lang):
        value = pattern.sub(replacement, value)
    return value


def _worded(template: str, params: Mapping[str, str], lang: str) -> str | None:
    try:
        return template.format(**{k: _value(v, lang) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        return None


def message(finding: Finding, lang: str) -> str:
    """The finding's message in ``lang`` (its English message when no translation fits)."""
    if lang == "en" or finding.key is None:
        return finding.message
    template = _template(finding.check, finding.key, lang)
    text = _worded(template, finding.params, lang) if template is not None else None
    if text is None:
        return finding.message
    waiver = finding.waiver
    if waiver is not None:
        note = "waived" if finding.status is Status.WAIVED else "waiver_expired"
        wording = _template(finding.check, note, lang)
        params = {"expires": waiver.expires.isoformat(), "reason": waiver.reason}
        text += wording.format(**params) if wording else ""
    return text


def remediation(finding: Finding, lang: str, english: str) -> tuple[str, ...]:
    """The finding's fix in ``lang``: a check's prose remediation (``english``) is translated;
    commands in the vendor's syntax are kept verbatim."""
    if lang == "en" or not english or finding.remediation != (english,):
        return finding.remediation
    translated = (messages(lang).get(finding.check) or {}).get("remediation")
    return (str(translated),) if translated else finding.remediation
