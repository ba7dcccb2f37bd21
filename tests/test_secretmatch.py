"""The secret matcher agrees with the regular expression it replaces, and its cost does not grow with the estate."""

from __future__ import annotations

import random
import re
import string

import pytest

from scanner.masking import Redactor, mask_value
from scanner.secretmatch import ANCHOR, LONG_TEXT, LiteralSet

ALPHABET = string.ascii_letters + string.digits + "$./-_!@%^#"


def reference_scrub(values: set[str], text: str) -> str:
    """The redactor before scanner/secretmatch.py: one regex of every value, longest first."""
    if not values:
        return text
    alternatives = "|".join(map(re.escape, sorted(values, key=len, reverse=True)))
    pattern = re.compile(f"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])")
    return pattern.sub(lambda m: mask_value(m.group(0)), text)


def scrub_with(values: set[str], text: str) -> str:
    redactor = Redactor()
    for value in values:
        redactor.matcher.add(value)  # every value, past the redactor's filters, as the reference has them
    return redactor.scrub(text)


def _random_case(rng: random.Random, size: int) -> tuple[set[str], str]:
    """Values that share anchors and prefixes of each other, and a text of values, pieces and glue."""
    stems = ["".join(rng.choices(ALPHABET, k=ANCHOR)) for _ in range(6)]
    values: set[str] = set()
    for _ in range(rng.randint(1, 25)):
        tail = "".join(rng.choices(ALPHABET, k=rng.randint(0, 12)))
        values.add(rng.choice(stems) + tail)
    listed = sorted(values)
    pieces = []
    while sum(map(len, pieces)) < size:
        value = rng.choice(listed)
        pieces.append(
            rng.choice(
                [
                    value,
                    value[: rng.randint(1, len(value))],
                    value + rng.choice(listed),
                    rng.choice(" ,;:\"'=()\n\t"),
                    rng.choice("aZ09$.-"),
                    "".join(rng.choices(ALPHABET + " ", k=rng.randint(1, 8))),
                ]
            )
        )
    return values, "".join(pieces)


@pytest.mark.parametrize("size", [40, 300, LONG_TEXT * 3])
def test_agrees_with_the_regex_it_replaces(size: int) -> None:
    rng = random.Random(size)
    masked = 0
    for _ in range(150 if size < LONG_TEXT else 20):
        values, text = _random_case(rng, size)
        expected = reference_scrub(values, text)
        assert scrub_with(values, text) == expected, (sorted(values), text)
        masked += expected != text
    assert masked > 10  # the cases did exercise masking


def test_long_text_uses_the_automaton_short_text_does_not() -> None:
    matcher = LiteralSet()
    for number in range(100):
        matcher.add(f"S{number:04d}cret")
    line = "snmp-server community S0042cret RO"
    assert matcher.spans(line) == [(22, 31)]
    assert matcher.built == 0
    report = ("filler " * LONG_TEXT) + "S0099cret,"
    assert [report[a:b] for a, b in matcher.spans(report)] == ["S0099cret"]
    assert matcher.built == 100
    matcher.spans(report)
    assert matcher.built == 100  # nothing new: the automaton is reused


def test_cost_per_host_does_not_grow_with_the_number_of_hosts() -> None:
    """Many hosts, each with secrets of its own, interleaved with scrubbing as a scan does it.

    The old redactor recompiled one regex of every secret after each host, so the work per
    host grew with the number of hosts before it (N squared in all). Counted, not timed:
    the values put into automata and the regexes compiled, per host, at 500 and 4,000 hosts.
    """

    def work_per_host(hosts: int) -> float:
        redactor = Redactor()
        rng = random.Random(hosts)
        for host in range(hosts):
            own = ["$9$" + "".join(rng.choices(ALPHABET, k=40)) for _ in range(6)]
            own.append(f"Comm{host:05d}x{rng.randint(100, 999)}")
            for value in own:
                redactor.add(value)
                redactor.scrub(f"username ops secret 9 {value}")  # each evidence line
            redactor.scrub(f"{host}: 22 finding(s), 3 failed")  # a log line
            if host % 50 == 49:
                redactor.scrub(("finding text " * 400) + own[0])  # a long output now and then
        assert redactor.scrub(f"x {own[-1]} y") != f"x {own[-1]} y"
        matcher = redactor.matcher
        return (matcher.built + matcher.compiled) / hosts

    small, large = work_per_host(500), work_per_host(4000)
    assert large <= small * 1.25, (small, large)
