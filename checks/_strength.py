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
) -> list[str]:
    """Why ``value`` is weak (empty when it is strong). Never includes the value itself."""
    reasons = []
    if len(value) < min_length:
        reasons.append(f"{len(value)} characters, at least {min_length} required")
    if require_mix:
        has_letter = any(c.isalpha() for c in value)
        has_digit = any(c.isdigit() for c in value)
        if not (has_letter and has_digit):
            reasons.append("does not mix letters and digits")
    if is_dictionary_word(value, words):
        reasons.append("a default or dictionary word")
    return reasons


def words_for(policy_words: frozenset[str], *extra: str | None) -> frozenset[str]:
    """The policy's weak words plus the vendor name and the hostname of the device."""
    return policy_words | {e.lower() for e in extra if e}
