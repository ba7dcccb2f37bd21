"""Login credentials per host, from the environment, the inventory or a prompt; never stored.

Order for the password: the environment variable named by the host's ``password_env``
data, the inventory's ``password`` (Nornir's own field), ``NETCOMPLY_PASSWORD``, then one
prompt on a terminal for the hosts still without one. An SSH key (``--ssh-key``, or
``use_keys``/``key_file`` in the inventory's netmiko connection options) or a running
ssh-agent works instead of or beside a password. Every password is wrapped in
:class:`~scanner.masking.Secret`, so it is scrubbed from any log line or report.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scanner.masking import Secret

PASSWORD_ENV = "NETCOMPLY_PASSWORD"
PASSWORD_ENV_KEY = "password_env"


@dataclass(frozen=True)
class Credentials:
    username: str | None
    password: Secret | None
    key_file: Path | None
    allow_agent: bool

    @property
    def usable(self) -> bool:
        return self.password is not None or self.key_file is not None or self.allow_agent


def host_password(host: Any, environ: Mapping[str, str]) -> Secret | None:
    """The password a Nornir ``host`` names, without prompting."""
    name = host.get(PASSWORD_ENV_KEY)
    if name and environ.get(str(name)):
        return Secret(environ[str(name)])
    if host.password:
        return Secret(str(host.password))
    if environ.get(PASSWORD_ENV):
        return Secret(environ[PASSWORD_ENV])
    return None


def key_file_of(extras: Mapping[str, Any], ssh_key: Path | None) -> Path | None:
    if ssh_key is not None:
        return ssh_key
    if extras.get("use_keys") and extras.get("key_file"):
        return Path(str(extras["key_file"])).expanduser()
    return None


class CredentialSource:
    """Credentials for every host of one run; prompts at most once, before the run starts."""

    def __init__(self, ssh_key: Path | None = None, environ: Mapping[str, str] | None = None) -> None:
        self.ssh_key = ssh_key
        self.environ = os.environ if environ is None else environ
        self.agent = bool(self.environ.get("SSH_AUTH_SOCK"))
        self.prompted: Secret | None = None

    def for_host(self, host: Any, extras: Mapping[str, Any]) -> Credentials:
        password = host_password(host, self.environ) or self.prompted
        key_file = key_file_of(extras, self.ssh_key)
        return Credentials(
            username=host.username,
            password=password,
            key_file=key_file,
            allow_agent=self.agent and password is None and key_file is None,
        )

    def prompt_if_needed(self, hosts: list[Any], extras_of: Any) -> None:
        """Ask once on a terminal when some host has neither password nor key nor agent."""
        lacking = [h for h in hosts if not self.for_host(h, extras_of(h)).usable]
        if not lacking or not (sys.stdin.isatty() and sys.stderr.isatty()):
            return
        users = sorted({str(h.username) for h in lacking if h.username})
        who = f"{', '.join(users)} on " if users else ""
        value = getpass.getpass(f"SSH password for {who}{len(lacking)} host(s) without one: ", stream=sys.stderr)
        if value:
            self.prompted = Secret(value)
