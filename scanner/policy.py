"""The policy: thresholds, enabled checks, severity overrides and waivers, from YAML.

The default policy (``scanner/data/policy.yaml``) is both the documentation and the
schema: a user's file is merged over it, a key it does not have is an error, and a
value must have the default's type. Later subsystems add their own section to the
default file and read it with :meth:`Policy.section`.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from scanner.model import Severity, Waiver
from scanner.rules import Rule, RuleError, parse_rules


class PolicyError(Exception):
    """A policy file that cannot be used, with the path to the bad key."""


def default_policy_text() -> str:
    return resources.files("scanner").joinpath("data/policy.yaml").read_text(encoding="utf-8")


def _merge(defaults: Mapping[str, Any], given: Mapping[str, Any], where: str) -> dict[str, Any]:
    merged = dict(defaults)
    for key, value in given.items():
        path = f"{where}.{key}" if where else str(key)
        if key not in defaults:
            known = ", ".join(sorted(map(str, defaults)))
            raise PolicyError(f"unknown key {path!r} (known here: {known})")
        default = defaults[key]
        if isinstance(default, Mapping) and default and isinstance(value, Mapping):
            merged[key] = _merge(default, value, path)
        elif isinstance(default, Mapping):
            if not isinstance(value, Mapping):
                raise PolicyError(f"{path} must be a mapping, found {_kind(value)}")
            merged[key] = dict(value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise PolicyError(f"{path} must be true or false, found {value!r}")
            merged[key] = value
        elif isinstance(default, int):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise PolicyError(f"{path} must be a whole number >= 0, found {value!r}")
            merged[key] = value
        elif isinstance(default, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise PolicyError(f"{path} must be a number, found {value!r}")
            merged[key] = float(value)
        elif isinstance(default, list):
            if not isinstance(value, list):
                raise PolicyError(f"{path} must be a list, found {_kind(value)}")
            merged[key] = value
        elif default is None or isinstance(default, str):
            if value is not None and not isinstance(value, str):
                raise PolicyError(f"{path} must be text, found {value!r}")
            merged[key] = value
        else:
            merged[key] = value
    return merged


def _kind(value: object) -> str:
    return {dict: "a mapping", list: "a list", str: "text"}.get(type(value), repr(value))


@dataclass
class Policy:
    data: dict[str, Any]
    source: str = "default policy"
    waivers: list[Waiver] = field(default_factory=list)
    # The policy's own checks (``rules:``), registered for the scans that use this policy only.
    rules: tuple[Rule, ...] = ()

    @classmethod
    def default(cls) -> Policy:
        return cls.from_text(default_policy_text(), "default policy", user=False)

    @classmethod
    def load(cls, path: Path | None) -> Policy:
        if path is None:
            return cls.default()
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise PolicyError(f"cannot read policy {path}: {exc.strerror or exc}") from exc
        return cls.from_text(text, str(path))

    @classmethod
    def from_text(cls, text: str, source: str, user: bool = True) -> Policy:
        defaults = yaml.safe_load(default_policy_text())
        try:
            given = yaml.safe_load(text) if user else {}
        except yaml.YAMLError as exc:
            raise PolicyError(f"{source}: not valid YAML: {exc}") from exc
        given = given or {}
        if not isinstance(given, Mapping):
            raise PolicyError(f"{source}: a policy must be a mapping of sections, found {_kind(given)}")
        try:
            # Rules first: their refusals name the line (scanner.rules reads the YAML nodes).
            rules = parse_rules(text, source) if given.get("rules") is not None else ()
        except RuleError as exc:
            raise PolicyError(str(exc)) from exc
        try:
            data = _merge(defaults, given, "")
            waivers = [_waiver(item, i) for i, item in enumerate(data.get("waivers") or [])]
            for check_id, severity in (data["checks"].get("severity") or {}).items():
                try:
                    Severity.parse(severity)
                except ValueError as exc:
                    raise PolicyError(f"checks.severity.{check_id}: {exc}") from None
        except PolicyError as exc:
            raise PolicyError(f"{source}: {exc}") from None
        return cls(data=data, source=source, waivers=waivers, rules=rules)

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


def _waiver(item: Any, index: int) -> Waiver:
    where = f"waivers[{index}]"
    if not isinstance(item, Mapping):
        raise PolicyError(f"{where} must be a mapping with host, check, reason, expires")
    missing = [k for k in ("host", "check", "reason", "expires") if not item.get(k)]
    if missing:
        raise PolicyError(f"{where} is missing {', '.join(missing)} (every waiver needs a reason and an expiry date)")
    unknown = set(item) - {"host", "check", "reason", "expires"}
    if unknown:
        raise PolicyError(f"{where} has unknown keys: {', '.join(sorted(map(str, unknown)))}")
    expires = item["expires"]
    if isinstance(expires, str):
        try:
            expires = date.fromisoformat(expires)
        except ValueError:
            raise PolicyError(f"{where}.expires must be a date YYYY-MM-DD, found {expires!r}") from None
    if not isinstance(expires, date):
        raise PolicyError(f"{where}.expires must be a date YYYY-MM-DD, found {expires!r}")
    return Waiver(host=str(item["host"]), check=str(item["check"]), reason=str(item["reason"]), expires=expires)
