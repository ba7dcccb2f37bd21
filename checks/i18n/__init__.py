"""Check titles in other languages, one YAML file per language (``zh.yaml``: check id -> title).

The English title and messages stay beside each check; a translation never changes a
check's code, and an id a language file lacks falls back to English.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml


@cache
def _titles(lang: str) -> dict[str, str]:
    entry = resources.files(__name__).joinpath(f"{lang}.yaml")
    if not entry.is_file():
        return {}
    return {str(k): str(v) for k, v in (yaml.safe_load(entry.read_text(encoding="utf-8")) or {}).items()}


def title(check_id: str, lang: str, default: str) -> str:
    """The title of ``check_id`` in ``lang``, or ``default`` (the English one)."""
    if lang == "en":
        return default
    return _titles(lang).get(check_id, default)
