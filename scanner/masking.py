"""The one place where secrets are masked.

Three layers, all here:

* :class:`Secret` wraps a secret value found in a device's output (an SNMP community,
  a password, a hash). Its ``str()``, ``repr()`` and ``format()`` give the masked form,
  so a secret interpolated into a message by mistake still does not leak. Code that
  must measure the value (length, character classes) calls :meth:`Secret.reveal`.
* :func:`mask_line` masks the secret-bearing tokens of one configuration line, for
  every vendor syntax netcomply reads. Every :class:`~scanner.model.Evidence` text
  passes through it.
* :data:`REDACTOR` remembers every secret value wrapped in this process and scrubs it
  from any text: renderers and the log filter run their output through it last. Values
  shorter than six characters, too common to tell apart from ordinary words ("cisco",
  "public"), or made of letters only ("read-write") are left to the first two layers, so
  reports stay readable.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from scanner.secretmatch import ANCHOR, LiteralSet

MASK = "***"
_MIN_SCRUB_LENGTH = ANCHOR
# Values too common to scrub from free text without mangling reports (platform and
# vendor names, default words). They stay masked wherever netcomply itself prints them
# (Secret, mask_line); scrubbing is the safety net for real secrets.
_TOO_COMMON = frozenset(
    {
        "public",
        "private",
        "secret",
        "password",
        "admin",
        "administrator",
        "community",
        "default",
        "cisco",
        "arista",
        "huawei",
        "juniper",
        "comware",
        "netcomply",
        "network",
        "manager",
        "monitor",
        "readonly",
        "readwrite",
        "enable",
        "system",
        "server",
    }
)
# Letters joined by hyphens, underscores or spaces ("read-write", "Bluefish"): indistinguishable
# from prose, and already weak by the policy's own rules (no digits).
_WORDLIKE = re.compile(r"^[A-Za-z]+(?:[-_ ][A-Za-z]+)*$")
_EDGE_JUNK = re.compile(r"^[\d\W_]+|[\d\W_]+$")


def mask_value(value: str) -> str:
    """``public`` -> ``pu***``: at most three leading characters and a third of the length."""
    keep = min(3, len(value) // 3)
    return value[:keep] + MASK


class Redactor:
    """Every secret value seen in this process, scrubbed from text on request.

    Matching is :class:`~scanner.secretmatch.LiteralSet`'s: adding a secret is a dictionary
    insert and scrubbing a text costs the text's length, however many hosts' secrets are
    known (no pattern of every secret is ever compiled), and the values themselves are not
    kept, only fingerprints. A worker process that parses hosts for another one (``--jobs``,
    ``--cluster``) wraps each host in :meth:`collecting` and hands the values it gives to
    the process that writes the outputs, whose redactor then knows them too.
    """

    def __init__(self) -> None:
        self._secrets = LiteralSet()
        self._collectors: list[list[str]] = []
        self._lock = threading.Lock()

    def add(self, value: str) -> None:
        if len(value) < _MIN_SCRUB_LENGTH:
            return
        if value.lower() in _TOO_COMMON or _EDGE_JUNK.sub("", value.lower()) in _TOO_COMMON:
            return
        if _WORDLIKE.match(value):
            return
        for collector in self._collectors:
            collector.append(value)
        self._secrets.add(value)

    def scrub(self, text: str) -> str:
        if not text:
            return text
        spans = self._secrets.spans(text)
        if not spans:
            return text
        out = []
        last = 0
        for start, end in spans:
            out.append(text[last:start])
            out.append(mask_value(text[start:end]))
            last = end
        out.append(text[last:])
        return "".join(out)

    @contextmanager
    def collecting(self) -> Iterator[list[str]]:
        """Also gather every value added inside the block (known before or not), in a list.

        The list may hold values other threads added meanwhile: more secrets to scrub, never fewer.
        """
        values: list[str] = []
        with self._lock:
            self._collectors = [*self._collectors, values]
        try:
            yield values
        finally:
            with self._lock:
                self._collectors = [c for c in self._collectors if c is not values]

    def __len__(self) -> int:
        return len(self._secrets)

    def __contains__(self, value: object) -> bool:
        return value in self._secrets

    @property
    def matcher(self) -> LiteralSet:
        """The matcher, for its work counters (``built``, ``compiled``)."""
        return self._secrets

    def clear(self) -> None:
        self._secrets.clear()


REDACTOR = Redactor()


class Secret:
    """A secret value: masked whenever it is turned into text."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        REDACTOR.add(value)

    def reveal(self) -> str:
        return self._value

    def __len__(self) -> int:
        return len(self._value)

    def __str__(self) -> str:
        return mask_value(self._value)

    def __repr__(self) -> str:
        return f"Secret({mask_value(self._value)!r})"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __reduce__(self) -> tuple[type[Secret], tuple[str]]:
        # Unpickled in another process (a --jobs or --cluster worker's result), the value is
        # registered with that process's redactor too.
        return (Secret, (self._value,))


# Words that follow a secret keyword ("password", "key", "authentication-mode"...) in
# configurations without being the secret: settings, algorithms, the next keyword.
_NOT_KEYWORD = (
    r"(?!(?:expire|encryption|control|history|min-length|max-length|minimum-length|maximum-length|aging|length"
    r"|complexity|policy|irreversible-cipher|cipher|simple|hash|generate|chain|exchange|config-key|format"
    r"|zeroize|recovery|prompt|alert|restriction|strong|enable|disable|change|change-type|minimum-changes|retry"
    r"|address|hostname|pass-phrase|authentication|authorization|accounting|aaa|scheme|none|password"
    r"|md5|sha|sha1|sha256|sha512|hmac-md5|hmac-sha256|hmac-sha1|text|plain|keychain|key-chain|local|remote"
    r"|level|role|type|secret|authentication-mode|privacy-mode"
    # PAM stack lines ("password requisite pam_pwquality.so", "password [success=1 ...]")
    r"|requisite|required|sufficient|optional|include|substack)(?:\s|$)|\[)"
)
# How a stored secret's encoding is announced between its keyword and its value:
# "key 7 X", "password cipher X", "pre-shared-key ascii-text X", "message-digest-key 1 md5 0 X".
_ENCODING = (
    r"(?:\s+(?:[0-9]{1,2}|sha512|sha256|md5|plain|simple|cipher|hash|irreversible-cipher|ascii|hex|text"
    r"|ascii-text|hexadecimal|local|remote))*"
)
# The secret itself: a quoted string (spaces allowed inside) or one word.
_VALUE = r'"?(?P<s>(?<=")[^"]+|[^\s"]+)'
_NOT_A_KEY_ID = r"(?!\d{1,2}(?:\s|$))"

# Each pattern's group "s" is a secret. All of them are applied to every line; the
# tests/secretpositions.py catalogue lists the statements they must cover, per vendor.
_LINE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        # SNMP (Cisco IOS / NX-OS / EOS): communities, trap communities, v3 user keys
        r"\bsnmp-server\s+community\s+" + _VALUE,
        r"\bsnmp-server\s+host\s+\S+(?:\s+(?:informs|traps|version\s+\S+|vrf\s+\S+|use-vrf\s+\S+))*\s+" + _VALUE,
        r"\bauth\s+(?:md5|sha\S*)\s+" + _VALUE,
        r"\bpriv\s+(?:aes\S*|des\S*|3des)?\s*(?:128|192|256)?\s*" + _VALUE,
        # Passwords and secrets of every vendor: "password 7 X", "secret 5 $1$...", "password cipher X",
        # "set authentication password simple X", "neighbor N password 0 X", "isis password X", Junos secret "X"
        r"(?<![\w-])(?:secret|password|area-password|domain-password)" + _ENCODING + r"\s+" + _NOT_KEYWORD + _VALUE,
        # Keys: TACACS/RADIUS, IKE, key chains, OSPF, IS-IS, NTP, HSRP "key-string", WPA
        r"(?<![\w-])(?:key|key-string|authentication-key|hello-authentication-key|message-digest-key|pre-shared-key"
        r"|shared-key|auth-key|psk|wpa-psk)" + _ENCODING + r"\s+" + _NOT_KEYWORD + _NOT_A_KEY_ID + _VALUE,
        # H3C RADIUS/HWTACACS schemes: "key authentication simple X", "key accounting cipher X"
        r"(?<![\w-])key\s+(?:authentication|authorization|accounting)(?:\s+(?:simple|cipher))?\s+" + _VALUE,
        # Huawei / H3C: "authentication-mode md5 1 plain X", "area-authentication-mode md5 plain X",
        # "vrrp vrid 1 authentication-mode md5 X", SNMPv3 "authentication-mode sha X privacy-mode aes128 Y"
        r"(?<![\w])(?:area-|domain-)?authentication-mode(?:\s+(?!plain\b|cipher\b)[\w-]+)?(?:\s+\d+)?"
        r"(?:\s+(?:plain|cipher|simple))?\s+" + _NOT_KEYWORD + _VALUE,
        r"\bprivacy-mode\s+\S+(?:\s+(?:plain|cipher|simple))?\s+" + _NOT_KEYWORD + _VALUE,
        # HSRP / VRRP plain-text authentication (IOS "standby 1 authentication X", EOS "vrrp 1 peer
        # authentication text X", NX-OS "authentication text X" under hsrp/vrrp)
        r"(?<![\w-])authentication\s+text\s+" + _VALUE,
        r"\bstandby\s+\d+\s+authentication\s+" + _NOT_KEYWORD + _VALUE,
        # Wireless pass-phrases (Huawei WLAN "security wpa2 psk pass-phrase X aes")
        r"\bpass-phrase(?:\s+(?:cipher|simple))?\s+" + _VALUE,
        # Huawei VRP / H3C Comware SNMP
        r"\bsnmp-agent\s+community\s+(?:read|write|complexity-check\s+disable)?\s*(?:simple|cipher)?\s*(?P<s>\S+)",
        r"\bsnmp-agent\s+target-host\s+.*?\bparams\s+securityname\s+(?:cipher\s+)?(?P<s>\S+)",
        r"\b(?:cipher|irreversible-cipher|simple|hash)\s+" + _NOT_KEYWORD + r"(?P<s>\S+)",
        r"\bsuper\s+password(?:\s+(?:level|role)\s+\S+)?(?:\s+(?:cipher|simple|hash|irreversible-cipher))?\s+"
        + _NOT_KEYWORD
        + _VALUE,
        # Juniper Junos
        r"\b(?:encrypted-password|plain-text-password-value|authentication-password"
        r"|privacy-password|privacy-key|simple-password|chap-secret|default-chap-secret|pap-password"
        r"|local-password|ascii-text|hexadecimal|security-name)\s+" + _VALUE,
        r"\bsnmp\s+community\s+" + _VALUE,
        r"\btype\s+\S+\s+value\s+" + _VALUE,
        # Passwords in URLs (IOS archive paths, copy and backup targets): scheme://user:PASSWORD@host
        r"\b[a-z][a-z0-9+.-]*://[^/:@\s]+:(?P<s>[^@/\s]+)@",
        # Keys and certificates in any syntax
        r"\b(?:ssh-rsa|ssh-ed25519|ecdsa-sha2-\S+)\s+(?P<s>\S+)",
        # Stored secrets recognisable wherever they stand: crypt hashes and Junos $9$, Comware
        # $c$/$h$, Huawei %^%#...%^%# cipher text, and a password inside a URL (user:PASS@host)
        r"(?P<s>\$(?:1|5|6|8|9|sha1|1[a-z]|c\$\d+|h\$\d+)\$[^\s\";]+)",
        r"(?P<s>(?:%\^%#|%\$%\$|%@%@)\S+)",
        r"://[^/\s:@\"]+:(?P<s>[^@\s\"]+)@",
    )
)


# Literal words (lower case) without one of which a pattern cannot match, by pattern: a line
# is tried only against the patterns whose words it holds. A pattern not listed here is
# always tried. tests/test_masking.py holds this to trying every pattern, over every
# statement of the secret catalogue and the public corpus.
_PATTERN_WORDS: dict[str, tuple[str, ...]] = {
    r"\bsnmp-server\s+community\s+": ("snmp-server",),
    r"\bsnmp-server\s+host\s+": ("snmp-server",),
    r"\bauth\s+(?:md5|sha\S*)\s+": ("auth",),
    r"\bpriv\s+": ("priv",),
    r"(?<![\w-])(?:secret|password|area-password|domain-password)": ("secret", "password"),
    r"(?<![\w-])(?:key|key-string|": ("key", "psk"),
    r"(?<![\w-])key\s+(?:authentication|authorization|accounting)": ("key",),
    r"(?<![\w])(?:area-|domain-)?authentication-mode": ("authentication-mode",),
    r"\bprivacy-mode\s+": ("privacy-mode",),
    r"(?<![\w-])authentication\s+text\s+": ("authentication",),
    r"\bstandby\s+\d+\s+authentication\s+": ("standby",),
    r"\bpass-phrase": ("pass-phrase",),
    r"\bsnmp-agent\s+": ("snmp-agent",),
    r"\b(?:cipher|irreversible-cipher|simple|hash)\s+": ("cipher", "simple", "hash"),
    r"\bsuper\s+password": ("super",),
    r"\b(?:encrypted-password|": ("password", "privacy-key", "secret", "ascii-text", "hexadecimal", "security-name"),
    r"\bsnmp\s+community\s+": ("snmp",),
    r"\btype\s+\S+\s+value\s+": ("value",),
    r"\b[a-z][a-z0-9+.-]*://": ("://",),
    r"\b(?:ssh-rsa|ssh-ed25519|ecdsa-sha2-\S+)\s+": ("ssh-", "ecdsa-"),
    r"(?P<s>\$(?:1|5|6|8|9|": ("$",),
    r"(?P<s>(?:%\^%#|%\$%\$|%@%@)": ("%^%#", "%$%$", "%@%@"),
    r"://[^/\s:@\"]+:": ("://",),
}


def _words_of(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    found = [words for start, words in _PATTERN_WORDS.items() if pattern.pattern.startswith(start)]
    return found[0] if len(found) == 1 else None


_GUARDED: tuple[tuple[re.Pattern[str], tuple[str, ...] | None], ...] = tuple(
    (pattern, _words_of(pattern)) for pattern in _LINE_PATTERNS
)


# Each literal word once, with its bit; each pattern with the bits of its words (None: always tried).
_WORD_BITS: tuple[tuple[str, int], ...] = tuple(
    (word, 1 << number)
    for number, word in enumerate(dict.fromkeys(word for _, words in _GUARDED for word in words or ()))
)
_PATTERN_BITS: tuple[tuple[re.Pattern[str], int | None], ...] = tuple(
    (pattern, None if words is None else sum(bit for word, bit in _WORD_BITS if word in words))
    for pattern, words in _GUARDED
)


def _patterns_for(text: str) -> Sequence[re.Pattern[str]]:
    """The line patterns worth trying on ``text``: all of them unless it is ASCII (Unicode case rules).

    Each literal word is looked for once, as a bit (a word several patterns share is one
    test), then the patterns are picked by their bits: a test per word and per pattern was
    half the masking of a line that holds a secret.
    """
    if not text.isascii():
        return _LINE_PATTERNS
    lowered = text.lower()
    present = 0
    for word, bit in _WORD_BITS:
        if word in lowered:
            present |= bit
    return [pattern for pattern, bits in _PATTERN_BITS if bits is None or bits & present]


def _mask_span(text: str, spans: Iterable[tuple[int, int]]) -> str:
    out = []
    last = 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out.append(text[last:start])
        out.append(mask_value(text[start:end]))
        last = end
    out.append(text[last:])
    return "".join(out)


def mask_line(text: str, scrub: bool = True) -> str:
    """Mask every secret-bearing token in one line of device output.

    ``scrub=False`` skips the process-wide redactor, so the result depends on the line
    alone (the backup store keeps masked configurations that must not vary by run).
    """
    if text in _CLEAN_LINES or _trigger(text) is None:
        masked = text  # no pattern can match a line without one of their literal words
    else:
        spans = []
        for pattern in _patterns_for(text):
            for match in pattern.finditer(text):
                value = match.group("s")
                if value and not value.endswith(MASK):
                    spans.append(match.span("s"))
        masked = _mask_span(text, spans) if spans else text
        if not spans:
            if len(_CLEAN_LINES) >= _CLEAN_LINES_MAX:
                _CLEAN_LINES.clear()
            _CLEAN_LINES.add(text)
    return REDACTOR.scrub(masked) if scrub else masked


# Lines that hold a literal word of the patterns (_TRIGGERS) but in which no pattern found
# a secret: configurations repeat them across hosts ("service password-encryption",
# " authentication priority dot1x mab"), and trying every pattern on a line costs some 20
# microseconds. Lines without such a word never get this far. Bounded (a few hundred KB);
# emptied when full. Lines that held a secret are never kept here.
_CLEAN_LINES: set[str] = set()
_CLEAN_LINES_MAX = 1 << 12


# Literal words of which every line pattern needs at least one: a cheap first pass over a
# whole text that points at the lines worth handing to mask_line, which decides. (One
# alternation of all the patterns themselves costs twice as much on a long config.)
_TRIGGERS = (
    "secret", "passw", "key", "psk", "auth", "priv", "communit", "snmp", "cipher", "simple", "hash",
    "standby", "pass-phrase", "value", "security-name", "ascii-text", "hexadecimal", "ssh-", "ecdsa-",
    "://", "$", "%^%#", "%$%$", "%@%@",
)  # fmt: skip
_ANY_LINE_PATTERN = re.compile("|".join(map(re.escape, _TRIGGERS)), re.I)
# The same over lower-cased ASCII text, where it is the same test and ten times faster (a
# case-insensitive alternation is tried at every position; a case-sensitive one skips ahead).
# Text with other characters keeps the case-insensitive search (Unicode case rules: K, ſ).
_ANY_LOWER = re.compile("|".join(map(re.escape, (t.lower() for t in _TRIGGERS))))


def _trigger(text: str, position: int = 0, lowered: str | None = None) -> re.Match[str] | None:
    """The next literal word of a line pattern in ``text`` from ``position`` (``lowered``: ``text.lower()``)."""
    if lowered is not None:
        return _ANY_LOWER.search(lowered, position)
    if text.isascii():
        return _ANY_LOWER.search(text.lower(), position)
    return _ANY_LINE_PATTERN.search(text, position)


def mask_text(text: str, scrub: bool = True) -> str:
    """:func:`mask_line` on every line of ``text`` (lines joined by ``\\n``), fast on long texts.

    One regex search finds the next line where a secret pattern can start; only those
    lines go through :func:`mask_line`, and the search resumes at the following line.
    """
    out: list[str] = []
    last = 0
    position = 0
    lowered = text.lower() if text.isascii() else None  # same length and positions as the text
    while True:
        match = _trigger(text, position, lowered)
        if match is None:
            break
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        end = len(text) if end < 0 else end
        out.append(text[last:start])
        out.append(mask_line(text[start:end], scrub=False))
        last = position = end
        if end < len(text):
            position = end + 1
    out.append(text[last:])
    masked = "".join(out)
    return REDACTOR.scrub(masked) if scrub else masked


class RedactingFilter(logging.Filter):
    """A log filter that scrubs every known secret from records before they are written."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = REDACTOR.scrub(message)
        if scrubbed != message:
            record.msg = scrubbed
            record.args = None
        return True
