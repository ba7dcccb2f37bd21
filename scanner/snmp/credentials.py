"""A host's own SNMP credential, named in the inventory and read from the environment.

Host data (in hosts.yaml, groups.yaml or defaults.yaml)::

    snmp:
      version: "2c"                       # "1", "2c" or "3"
      community_env: SNMP_RO_COMMUNITY    # v1/v2c: the variable holding the community
      user: netcomply                     # v3: the USM user (not a secret)
      auth_protocol: sha                  # v3: md5, sha, sha224, sha256, sha384, sha512
      auth_key_env: SNMP_AUTH_KEY
      priv_protocol: aes                  # v3: des, 3des, aes (aes128), aes192, aes256
      priv_key_env: SNMP_PRIV_KEY
      context: ""                         # v3 context name
      port: 161                           # this host's agent port
      address: 10.10.99.2                 # when SNMP answers elsewhere than the inventory hostname

Only variable names are written down; a value (``community:``, ``auth_key:``) in the
inventory is refused. Without ``community_env``, ``NETCOMPLY_SNMP_COMMUNITY`` is used when
set. Every value is wrapped in :class:`~scanner.masking.Secret` as it is read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scanner.masking import Secret

COMMUNITY_ENV = "NETCOMPLY_SNMP_COMMUNITY"
AUTH_PROTOCOLS = ("md5", "sha", "sha224", "sha256", "sha384", "sha512")
PRIV_PROTOCOLS = ("des", "3des", "aes", "aes128", "aes192", "aes256")
_LITERAL_KEYS = ("community", "auth_key", "priv_key", "password")
_KNOWN_KEYS = frozenset(
    {
        "version",
        "community_env",
        "lab_community",
        "user",
        "auth_protocol",
        "auth_key_env",
        "priv_protocol",
        "priv_key_env",
        "context",
        "port",
        "address",
    }
)


class CredentialError(ValueError):
    """The inventory's ``snmp:`` data of a host cannot give a credential (the reason says why)."""


@dataclass(frozen=True)
class Community:
    """An SNMP v1/v2c community."""

    value: Secret
    version: str = "2c"
    source: str = ""

    def describe(self) -> str:
        return f"SNMPv{self.version} community" + (f" from {self.source}" if self.source else "")


@dataclass(frozen=True)
class UsmUser:
    """An SNMPv3 USM user with its keys (None: that security level is not used)."""

    user: str
    auth_protocol: str | None = None
    auth_key: Secret | None = None
    priv_protocol: str | None = None
    priv_key: Secret | None = None
    context: str = ""
    source: str = ""

    @property
    def version(self) -> str:
        return "3"

    @property
    def level(self) -> str:
        if self.priv_key is not None:
            return "authPriv"
        if self.auth_key is not None:
            return "authNoPriv"
        return "noAuthNoPriv"

    def describe(self) -> str:
        return f"SNMPv3 user {self.user} ({self.level})" + (f" from {self.source}" if self.source else "")


Credential = Community | UsmUser


@dataclass(frozen=True)
class HostSnmp:
    """Where a host's agent listens and the credential to use, as the inventory says."""

    address: str | None
    port: int | None
    credential: Credential | None
    problem: str | None = None


def snmp_data(data: Mapping[str, Any]) -> Mapping[str, Any]:
    raw = data.get("snmp")
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise CredentialError("host data `snmp` must be a mapping (version, community_env, user, ...)")
    return raw


def host_snmp(address: str | None, data: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> HostSnmp:
    """The agent address, port and credential of one inventory host; ``problem`` says what is wrong."""
    environ = os.environ if environ is None else environ
    try:
        raw = snmp_data(data)
        port = _port(raw.get("port"))
        address = str(raw.get("address") or address or "") or None
        return HostSnmp(address, port, credential_from(raw, environ))
    except CredentialError as exc:
        return HostSnmp(address, None, None, str(exc))


def _port(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
        raise CredentialError(f"host data snmp.port must be 1-65535, found {value!r}")
    return value


def credential_from(raw: Mapping[str, Any], environ: Mapping[str, str]) -> Credential | None:
    literal = [k for k in _LITERAL_KEYS if k in raw]
    if literal:
        raise CredentialError(
            f"host data snmp.{literal[0]} holds a secret in the inventory: put it in an environment "
            f"variable and name the variable with snmp.{literal[0]}_env"
        )
    unknown = sorted(set(map(str, raw)) - _KNOWN_KEYS)
    if unknown:
        raise CredentialError(f"unknown host data snmp.{unknown[0]} (known: {', '.join(sorted(_KNOWN_KEYS))})")
    version = str(raw.get("version") or ("3" if raw.get("user") else "2c"))
    if version in ("1", "2c"):
        return _community(raw, environ, version)
    if version == "3":
        return _usm(raw, environ)
    raise CredentialError(f"host data snmp.version must be 1, 2c or 3, found {version!r}")


def _community(raw: Mapping[str, Any], environ: Mapping[str, str], version: str) -> Community | None:
    lab = raw.get("lab_community")
    if lab:
        # Written by `netcomply lab serve` for its simulated agents: it protects nothing.
        return Community(Secret(str(lab)), version, "the lab inventory")
    name = raw.get("community_env")
    if name:
        value = environ.get(str(name))
        if not value:
            raise CredentialError(f"environment variable {name} (snmp.community_env) is not set")
        return Community(Secret(value), version, f"${name}")
    if environ.get(COMMUNITY_ENV):
        return Community(Secret(environ[COMMUNITY_ENV]), version, f"${COMMUNITY_ENV}")
    return None


def _secret_env(raw: Mapping[str, Any], key: str, environ: Mapping[str, str]) -> Secret | None:
    name = raw.get(key)
    if not name:
        return None
    value = environ.get(str(name))
    if not value:
        raise CredentialError(f"environment variable {name} (snmp.{key}) is not set")
    if len(value) < 8:
        raise CredentialError(f"the key in {name} (snmp.{key}) is shorter than the 8 characters SNMPv3 requires")
    return Secret(value)


def _usm(raw: Mapping[str, Any], environ: Mapping[str, str]) -> UsmUser:
    user = raw.get("user")
    if not user:
        raise CredentialError("host data snmp.version is 3 but snmp.user is not set")
    auth_key = _secret_env(raw, "auth_key_env", environ)
    priv_key = _secret_env(raw, "priv_key_env", environ)
    auth = str(raw.get("auth_protocol") or "sha").lower() if auth_key else None
    priv = str(raw.get("priv_protocol") or "aes").lower() if priv_key else None
    if auth is not None and auth not in AUTH_PROTOCOLS:
        known = ", ".join(AUTH_PROTOCOLS)
        raise CredentialError(f"host data snmp.auth_protocol must be one of {known}, found {auth!r}")
    if priv is not None and priv not in PRIV_PROTOCOLS:
        known = ", ".join(PRIV_PROTOCOLS)
        raise CredentialError(f"host data snmp.priv_protocol must be one of {known}, found {priv!r}")
    if priv_key is not None and auth_key is None:
        raise CredentialError("SNMPv3 privacy needs authentication: set snmp.auth_key_env too")
    return UsmUser(
        user=str(user),
        auth_protocol=auth,
        auth_key=auth_key,
        priv_protocol=priv,
        priv_key=priv_key,
        context=str(raw.get("context") or ""),
        source="the inventory and environment",
    )
