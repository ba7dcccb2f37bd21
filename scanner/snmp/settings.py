"""The probe's settings: the policy's ``snmp:`` section with the command line's overrides."""

from __future__ import annotations

from dataclasses import dataclass, replace

from scanner.masking import Secret
from scanner.policy import Policy

VERSIONS = ("1", "2c")


class SnmpSettingsError(ValueError):
    """A policy ``snmp:`` value the probe cannot work with."""


class Guess(Secret):
    """A dictionary word: masked wherever it is shown, like any :class:`Secret`, but not added
    to the redactor, because the words include host names and vendor names that reports
    must keep showing. netcomply never prints or saves a word in clear."""

    __slots__ = ()

    def __init__(self, value: str) -> None:
        self._value = value


@dataclass(frozen=True)
class Word:
    """One community of the dictionary and where it came from (for the report)."""

    value: Secret
    origin: str


@dataclass(frozen=True)
class SnmpSettings:
    port: int = 161
    timeout: float = 1.0
    retries: int = 2
    rate_per_host: float = 10.0
    burst: int = 1
    concurrency: int = 50
    versions: tuple[str, ...] = ("2c",)
    words: tuple[str, ...] = ()
    weak_words: tuple[str, ...] = ()
    walks: bool = True
    max_repetitions: int = 20
    write_test: bool = False

    @classmethod
    def from_policy(cls, policy: Policy, *, port: int | None = None, write_test: bool = False) -> SnmpSettings:
        section = policy.section("snmp")
        versions = tuple(str(v) for v in section["versions"])
        unknown = [v for v in versions if v not in VERSIONS]
        if unknown or not versions:
            raise SnmpSettingsError(f"snmp.versions: use {' and/or '.join(VERSIONS)}, found {list(versions)}")
        settings = cls(
            port=int(section["port"]),
            timeout=float(section["timeout"]),
            retries=int(section["retries"]),
            rate_per_host=float(section["rate_per_host"]),
            burst=int(section["burst"]),
            concurrency=int(section["concurrency"]),
            versions=versions,
            words=tuple(str(w) for w in section["probe_words"]),
            weak_words=tuple(sorted(policy.weak_words)) if section["probe_weak_words"] else (),
            walks=bool(section["walks"]),
            max_repetitions=int(section["max_repetitions"]),
            write_test=write_test,
        )
        if port is not None:
            settings = replace(settings, port=port)
        settings.validate()
        return settings

    def validate(self) -> None:
        if not 0 < self.port < 65536:
            raise SnmpSettingsError(f"snmp.port must be 1-65535, found {self.port}")
        if self.timeout <= 0:
            raise SnmpSettingsError(f"snmp.timeout must be more than 0 seconds, found {self.timeout}")
        if not 0 <= self.retries <= 10:
            raise SnmpSettingsError(f"snmp.retries must be 0-10, found {self.retries}")
        if self.rate_per_host <= 0:
            raise SnmpSettingsError(f"snmp.rate_per_host must be more than 0, found {self.rate_per_host}")
        if self.burst < 1:
            raise SnmpSettingsError(f"snmp.burst must be at least 1, found {self.burst}")
        if self.concurrency < 1:
            raise SnmpSettingsError(f"snmp.concurrency must be at least 1, found {self.concurrency}")
        if not 1 <= self.max_repetitions <= 200:
            raise SnmpSettingsError(f"snmp.max_repetitions must be 1-200, found {self.max_repetitions}")

    def dictionary(self, *, name: str, hostname: str | None = None, vendor: str | None = None) -> list[Word]:
        """The communities tried on one host: policy words, weak words, then the host's own names.

        The host's names are tried as written and in lower case, and a fully qualified name
        also by its first label (``hq-core1.lab.example.net`` -> ``hq-core1``).
        """
        seen: set[str] = set()
        words: list[Word] = []

        def add(value: str | None, origin: str) -> None:
            if value is None or value in seen or len(value) > 255:
                return
            seen.add(value)
            words.append(Word(Guess(value), origin))

        for word in self.words:
            add(word, "policy")
        for word in self.weak_words:
            add(word, "weak_words")
        for value, origin in ((name, "inventory name"), (hostname, "hostname"), (vendor, "vendor")):
            if not value:
                continue
            for variant in (value, value.lower(), value.split(".", 1)[0], value.split(".", 1)[0].lower()):
                add(variant, origin)
        return words
