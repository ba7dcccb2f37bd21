"""The policy: thresholds, enabled checks, severity overrides and waivers, from YAML.

The default policy (``scanner/data/policy.yaml``) is both the documentation and the
schema: a user's file is merged over it, a key it does not have is an error, and a
value must have the default's type. Later subsystems add their own section to the
default file and read it with :meth:`Policy.section`.

Every refusal names the file, the line and the key (``my-policy.yaml, line 7:
checks.disable[0]: ...``), and a check id that names no check is refused with the
closest one ("did you mean"): a typo must never silently leave a check running or
waive nothing. The file is read with :func:`scanner.yamlfile.load_yaml`, so an alias
bomb is refused before it is expanded.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from scanner.model import Severity, Waiver
from scanner.rules import Rule, RuleError, parse_rules
from scanner.yamlfile import Path_, YamlDocument, YamlFileError, did_you_mean, key_path, load_yaml


class PolicyError(Exception):
    """A policy file that cannot be used, with the path to the bad key."""


def default_policy_text() -> str:
    return resources.files("scanner").joinpath("data/policy.yaml").read_text(encoding="utf-8")


# Shipped policy profiles (scanner/data/profile-NAME.yaml): partial policies a policy file
# starts from with "profile: NAME".
PROFILES = ("form", "mlps-l3")


def profile_text(name: str) -> str:
    """The shipped profile ``name`` as YAML (it names only what it sets)."""
    if name not in PROFILES:
        raise PolicyError(f"no policy profile {name!r} (profiles: {', '.join(PROFILES)})")
    return resources.files("scanner").joinpath(f"data/profile-{name}.yaml").read_text(encoding="utf-8")


def _merge(defaults: Mapping[str, Any], given: Mapping[str, Any], path: Path_, doc: YamlDocument) -> dict[str, Any]:
    merged = dict(defaults)
    for key, value in given.items():
        here = (*path, key)
        if key not in defaults:
            names = sorted(map(str, defaults))
            raise doc.error(here, f"unknown key{did_you_mean(str(key), names)} (known here: {', '.join(names)})")
        default = defaults[key]
        if isinstance(default, Mapping) and default and isinstance(value, Mapping):
            merged[key] = _merge(default, value, here, doc)
        elif isinstance(default, Mapping):
            if not isinstance(value, Mapping):
                raise doc.error(here, f"must be a mapping, found {_kind(value)}")
            merged[key] = dict(value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise doc.error(here, f"must be true or false, found {value!r}")
            merged[key] = value
        elif isinstance(default, int):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise doc.error(here, f"must be a whole number >= 0, found {value!r}")
            merged[key] = value
        elif isinstance(default, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise doc.error(here, f"must be a number, found {value!r}")
            merged[key] = float(value)
        elif isinstance(default, list):
            if not isinstance(value, list):
                raise doc.error(here, f"must be a list, found {_kind(value)}")
            _check_items(default, value, here, doc)
            merged[key] = value
        elif default is None or isinstance(default, str):
            if value is not None and not isinstance(value, str):
                raise doc.error(here, f"must be text, found {value!r}")
            merged[key] = value
        else:
            merged[key] = value
    return merged


def _check_items(default: list[Any], value: list[Any], path: Path_, doc: YamlDocument) -> None:
    """A list of text in the default (weak words, check ids) must hold text: not numbers, not lists."""
    if not default or not all(isinstance(item, str) for item in default):
        return
    for index, item in enumerate(value):
        if not isinstance(item, (str, int)) or isinstance(item, bool):
            raise doc.error((*path, index), f"must be text, found {_kind(item)}")


def _kind(value: object) -> str:
    return {dict: "a mapping", list: "a list", str: "text"}.get(type(value), repr(value))


@dataclass
class Policy:
    data: dict[str, Any]
    source: str = "default policy"
    waivers: list[Waiver] = field(default_factory=list)
    # The shipped profile the policy extends ("form", "mlps-l3"), if any.
    profile: str | None = None
    # The policy's own checks (``rules:``), registered for the scans that use this policy only.
    rules: tuple[Rule, ...] = ()
    # The file as read (lines of its keys), for refusals found after loading (Policy.check_ids).
    _doc: YamlDocument | None = field(default=None, repr=False, compare=False)

    @classmethod
    def default(cls) -> Policy:
        return cls.from_text(default_policy_text(), "default policy", user=False)

    @classmethod
    def load(cls, path: Path | None, known_checks: Collection[str] | None = None) -> Policy:
        """The policy in ``path`` (the default when None); ``known_checks``: the check ids it may name."""
        if path is None:
            return cls.default()
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise PolicyError(f"cannot read policy {path}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise PolicyError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        return cls.from_text(text, str(path), known_checks=known_checks)

    @classmethod
    def from_text(
        cls, text: str, source: str, user: bool = True, known_checks: Collection[str] | None = None
    ) -> Policy:
        defaults = yaml.safe_load(default_policy_text())
        try:
            doc = load_yaml(text, source) if user else YamlDocument(source, {})
        except YamlFileError as exc:
            raise PolicyError(str(exc)) from None
        given = doc.data or {}
        if not isinstance(given, Mapping):
            raise PolicyError(f"{source}: a policy must be a mapping of sections, found {_kind(given)}")
        given = dict(given)
        profile = given.pop("profile", None)
        try:
            # Rules first: their refusals name the line (scanner.rules reads the YAML nodes).
            rules = parse_rules(text, source) if given.get("rules") is not None else ()
        except RuleError as exc:
            raise PolicyError(str(exc)) from exc
        try:
            base = defaults
            if profile is not None:
                if profile not in PROFILES:
                    hint = did_you_mean(str(profile), PROFILES)
                    raise doc.error(("profile",), f"no profile {profile!r}{hint} (profiles: {', '.join(PROFILES)})")
                shipped = load_yaml(profile_text(profile), f"profile {profile}")
                base = _merge(defaults, shipped.data or {}, (), shipped)
            data = _merge(base, given, (), doc)
            waivers = [_waiver(item, i, doc) for i, item in enumerate(data.get("waivers") or [])]
            for check_id, severity in (data["checks"].get("severity") or {}).items():
                try:
                    Severity.parse(severity)
                except ValueError as exc:
                    raise doc.error(("checks", "severity", check_id), str(exc)) from None
            if known_checks is not None:
                _check_ids(data, doc, known_checks)
        except YamlFileError as exc:
            raise PolicyError(str(exc)) from None
        policy = cls(data=data, source=source, waivers=waivers, rules=rules, profile=profile)
        policy._doc = doc
        return policy

    def check_ids(self, known: Collection[str]) -> None:
        """Refuse (with file, line, key and a did-you-mean) a check id the policy names that is not in ``known``.

        Called once the checks of the run are known: the shipped ones, plugins and the policy's own rules.
        """
        try:
            _check_ids(self.data, self._doc or YamlDocument(self.source, self.data), known)
        except YamlFileError as exc:
            raise PolicyError(str(exc)) from None

    # ---- reading ----------------------------------------------------------------------

    def section(self, name: str) -> dict[str, Any]:
        value = self.data.get(name)
        if not isinstance(value, dict):
            raise KeyError(f"policy has no section {name!r}")
        return value

    def threshold(self, name: str) -> Any:
        return self.data["thresholds"][name]

    @property
    def weak_words(self) -> frozenset[str]:
        return frozenset(str(w).lower() for w in self.data.get("weak_words") or [])

    def check_enabled(self, check_id: str) -> bool:
        checks = self.data["checks"]
        enabled = any(fnmatch.fnmatchcase(check_id, p) for p in checks.get("enable") or [])
        disabled = any(fnmatch.fnmatchcase(check_id, p) for p in checks.get("disable") or [])
        return enabled and not disabled

    def severity_for(self, check_id: str, default: Severity) -> Severity:
        override = (self.data["checks"].get("severity") or {}).get(check_id)
        return Severity.parse(override) if override else default

    def waiver_for(self, host: str, check_id: str) -> Waiver | None:
        """The waiver matching (host, check), expired or not; the latest-expiring one wins."""
        matches = [
            w for w in self.waivers if fnmatch.fnmatchcase(host, w.host) and fnmatch.fnmatchcase(check_id, w.check)
        ]
        return max(matches, key=lambda w: w.expires) if matches else None


_WAIVER_KEYS = ("host", "check", "reason", "expires")


def _waiver(item: Any, index: int, doc: YamlDocument) -> Waiver:
    where: Path_ = ("waivers", index)
    if not isinstance(item, Mapping):
        raise doc.error(where, "must be a mapping with host, check, reason, expires")
    missing = [k for k in _WAIVER_KEYS if not item.get(k)]
    if missing:
        raise doc.error(where, f"missing {', '.join(missing)} (every waiver needs a reason and an expiry date)")
    for key in item:
        if key not in _WAIVER_KEYS:
            raise doc.error((*where, key), f"unknown key{did_you_mean(str(key), _WAIVER_KEYS)}")
    expires = item["expires"]
    if isinstance(expires, str):
        try:
            expires = date.fromisoformat(expires)
        except ValueError:
            raise doc.error((*where, "expires"), f"must be a date YYYY-MM-DD, found {expires!r}") from None
    if not isinstance(expires, date):
        raise doc.error((*where, "expires"), f"must be a date YYYY-MM-DD, found {expires!r}")
    return Waiver(host=str(item["host"]), check=str(item["check"]), reason=str(item["reason"]), expires=expires)


def unknown_check(pattern: str, known: Collection[str]) -> str | None:
    """Why ``pattern`` (a check id or a shell-style pattern) names no check, or None when it names one."""
    if any(fnmatch.fnmatchcase(check_id, pattern) for check_id in known):
        return None
    if any(char in pattern for char in "*?["):
        return f"the pattern {pattern!r} matches no check (`netcomply checks` lists them)"
    return f"no check {pattern!r}{did_you_mean(pattern, known)} (`netcomply checks` lists them)"


def _check_ids(data: Mapping[str, Any], doc: YamlDocument, known: Collection[str]) -> None:
    """Every check id the policy names must name a check: a typo would silently keep one running."""
    checks = data["checks"]
    for key in ("enable", "disable"):
        for index, pattern in enumerate(checks.get(key) or []):
            problem = unknown_check(str(pattern), known)
            if problem:
                raise doc.error(("checks", key, index), problem)
    for check_id in checks.get("severity") or {}:
        problem = unknown_check(str(check_id), known)
        if problem:
            raise doc.error(("checks", "severity", check_id), problem)
    for index, waiver in enumerate(data.get("waivers") or []):
        problem = unknown_check(str(waiver["check"]), known)
        if problem:
            raise doc.error(("waivers", index, "check"), problem)


__all__ = ["Policy", "PolicyError", "default_policy_text", "key_path", "unknown_check"]
