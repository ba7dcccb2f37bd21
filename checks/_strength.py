"""How strong a clear-text community or password is, by the policy's rules."""

from __future__ import annotations

import re

_EDGES = re.compile(r"^[\d\W_]+|[\d\W_]+$")


def is_dictionary_word(value: str, words: frozenset[str] | set[str]) -> bool:
    """``public``, ``Public123``, ``huawei@123``, ``123admin`` are all dictionary words."""
    lowered = value.lower()
    return lowered in words or _EDGES.sub("", lowered) in words


def weaknesses(
    value: str,
    *,
    min_length: int,
    require_mix: bool,
    words: frozenset[str] | set[str],
    min_classes: int = 0,
) -> list[str]:
    """Why ``value`` is weak (empty when it is strong). Never includes the value itself.

    ``min_classes``: how many character classes (lower case, upper case, digits, other) it must use.
    """
    reasons = []
    if len(value) < min_length:
        reasons.append(f"{len(value)} characters, at least {min_length} required")
    if require_mix:
        has_letter = any(c.isalpha() for c in value)
        has_digit = any(c.isdigit() for c in value)
        if not (has_letter and has_digit):
            reasons.append("does not mix letters and digits")
    used = character_classes(value)
    if used < min_classes:
        reasons.append(f"{used} character class(es), at least {min_classes} required")
    if is_dictionary_word(value, words):
        reasons.append("a default or dictionary word")
    return reasons


def words_for(policy_words: frozenset[str], *extra: str | None) -> frozenset[str]:
    """The policy's weak words plus the vendor name and the hostname of the device."""
    return policy_words | {e.lower() for e in extra if e}


def character_classes(value: str) -> int:
    """How many of lower case, upper case, digits and other characters ``value`` uses."""
    return sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
            any(not c.isalnum() for c in value),
        )
    )
