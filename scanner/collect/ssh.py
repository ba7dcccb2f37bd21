"""Live collection over SSH: Nornir runs one task per host on its threaded runner; Netmiko talks to the device.

Every host ends in exactly one state, collected (a :class:`~scanner.snapshot.Snapshot`
with every command of its platform) or failed with a typed :class:`CollectError`; the
task never raises, so one device can cost the run no more than its own timeouts.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import netmiko
import paramiko
from nornir.core.plugins.connections import ConnectionPluginRegister
from nornir.core.task import Result, Task

from scanner.collect.connection import CONNECTION_NAME, CheckedNetmiko, Session
from scanner.collect.credentials import Credentials, CredentialSource
from scanner.collect.errors import CollectError, Reason
from scanner.collect.hostkeys import HostKeyPolicy, KnownHosts
from scanner.collect.linux import HostCollectOptions, HostTarget, collect_host
from scanner.collect.options import (  # noqa: F401  (re-exported: the public names of collection)
    DEFAULT_COMMAND_TIMEOUT,
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_DELAY_FACTOR,
    DEFAULT_WORKERS,
    CollectOptions,
    CollectRun,
    HostCollection,
    default_known_hosts,
)
from scanner.inventory import host_infos, load_nornir_inventory
from scanner.masking import REDACTOR, RedactingFilter
from scanner.model import HostInfo
from scanner.platforms import Platform, UnknownPlatformError, get_platform
from scanner.snapshot import Snapshot, rejection

log = logging.getLogger("netcomply.collect")
for _noisy in ("paramiko", "netmiko", "nornir"):
    logging.getLogger(_noisy).addHandler(logging.NullHandler())

USER_EXTRAS_FROM = "netmiko"  # connection_options key users already write for nornir_netmiko


@dataclass
class _Plan:
    options: CollectOptions
    known_hosts: KnownHosts
    credentials: CredentialSource


def _user_extras(host: Any) -> dict[str, Any]:
    return dict(host.get_connection_parameters(USER_EXTRAS_FROM).extras or {})


def _netmiko_extras(plan: _Plan, host: Any, policy: HostKeyPolicy) -> tuple[dict[str, Any], Credentials]:
    """The user's netmiko options for ``host``, with netcomply's timeouts, delays, keys and host-key policy."""
    options = plan.options
    extras = _user_extras(host)
    creds = plan.credentials.for_host(host, extras)
    if extras.get("secret"):
        REDACTOR.add(str(extras["secret"]))  # the enable secret: scrubbed from logs and reports
    extras.update(
        conn_timeout=options.connect_timeout,
        auth_timeout=options.connect_timeout,
        banner_timeout=options.connect_timeout,
        read_timeout_override=options.connect_timeout,
        use_keys=creds.key_file is not None,
        key_file=str(creds.key_file) if creds.key_file else None,
        allow_agent=creds.allow_agent,
        session_log=None,
        host_key_policy=policy,
    )
    extras.setdefault("fast_cli", True)
    extras.setdefault("global_delay_factor", options.delay_factor)
    return extras, creds


def _classify_login(exc: BaseException, policy: HostKeyPolicy, where: str, options: CollectOptions) -> CollectError:
    if policy.error is not None:
        return policy.error
    if isinstance(exc, CollectError):
        return exc
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    text = " ".join(str(e) for e in chain)
    if any(isinstance(e, netmiko.NetmikoAuthenticationException | paramiko.AuthenticationException) for e in chain):
        return CollectError(Reason.AUTHENTICATION, f"{where} rejected the credentials")
    for e in chain:
        if isinstance(e, paramiko.ssh_exception.NoValidConnectionsError | ConnectionRefusedError):
            return CollectError(Reason.UNREACHABLE, f"{where} refused the connection")
        if isinstance(e, socket.gaierror):
            return CollectError(Reason.UNREACHABLE, f"{where}: the name does not resolve")
        if isinstance(e, TimeoutError) and "TCP connection" in text:
            return CollectError(Reason.UNREACHABLE, f"{where} did not answer within {options.connect_timeout:g} s")
    if "TCP connection to device failed" in text or "DNS failure" in text:
        return CollectError(Reason.UNREACHABLE, f"{where} cannot be reached")
    if "protocol banner" in text or "No existing session" in text:
        return CollectError(
            Reason.TIMEOUT,
            f"{where} accepted the connection, but the SSH handshake did not finish "
            f"within {options.connect_timeout:g} s",
        )
    if "SSHException occurred during connection creation" in text:
        detail = next((str(e) for e in chain if type(e) is paramiko.SSHException), text.strip().splitlines()[-1])
        return CollectError(Reason.UNREACHABLE, f"{where}: SSH negotiation failed: {detail}")
    if isinstance(exc, netmiko.NetmikoTimeoutException | netmiko.ReadTimeout) or "timed-out" in text.lower():
        return CollectError(Reason.TIMEOUT, f"{where}: logged in, but no prompt within {options.connect_timeout:g} s")
    if isinstance(exc, EOFError | OSError | paramiko.SSHException):
        return CollectError(Reason.UNREACHABLE, f"{where}: the SSH session failed ({type(exc).__name__}: {exc})")
    return CollectError(Reason.COMMAND, f"{where}: {type(exc).__name__}: {str(exc).strip().splitlines()[0]}")


def _collect(task: Task, plan: _Plan) -> HostCollection:
    host = task.host
    started = time.perf_counter()
    outcome = HostCollection(name=host.name)
    if not host.platform:
        raise CollectError(Reason.SETUP, "no platform in the inventory: set `platform` to the netmiko device_type")
    try:
        platform = get_platform(host.platform)
    except UnknownPlatformError as exc:
        raise CollectError(Reason.SETUP, str(exc)) from None
    params = host.get_connection_parameters(USER_EXTRAS_FROM)
    address, port = params.hostname or host.name, params.port or 22
    where = f"{address}:{port}"
    policy = HostKeyPolicy(plan.known_hosts)
    extras, creds = _netmiko_extras(plan, host, policy)
    if not creds.usable:
        raise CollectError(
            Reason.AUTHENTICATION,
            "no password or key: set NETCOMPLY_PASSWORD (or the variable named by the host's password_env), "
            "give --ssh-key, or run on a terminal to be asked",
        )
    if platform.kind == "host":
        return _collect_server(host, platform, address, port, params.username, creds, plan, outcome)
    try:
        connection = host.open_connection(
            CONNECTION_NAME,
            configuration=task.nornir.config,
            hostname=address,
            username=params.username,
            password=creds.password.reveal() if creds.password else None,
            port=port,
            platform=platform.name,
            extras=extras,
        ).connection
        if extras.get("secret"):
            connection.enable()
        session = Session(connection, plan.options.connect_timeout)
    except Exception as exc:
        raise _classify_login(exc, policy, where, plan.options) from None
    outcome.login_seconds = time.perf_counter() - started
    outputs: dict[str, str] = {}
    errors: dict[str, str] = {}
    commands = plan.options.commands(platform) if plan.options.commands else platform.commands.all
    for command in commands:
        text = session.run(command, plan.options.command_timeout)
        outputs[command] = text
        refused = rejection(text)
        if refused:
            errors[command] = f"rejected by the device: {refused}"
    meta: dict[str, Any] = {
        "collected_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "source": f"ssh {where} (netmiko {netmiko.__version__}, {platform.name})",
    }
    if errors:
        meta["errors"] = errors
    outcome.snapshot = Snapshot(host=host.name, platform=platform.name, meta=meta, outputs=outputs)
    return outcome


def _collect_server(
    host: Any,
    platform: Platform,
    address: str,
    port: int,
    username: str | None,
    creds: Credentials,
    plan: _Plan,
    outcome: HostCollection,
) -> HostCollection:
    """A server (platform kind "host") is collected by its own runner, with the same keys and errors.

    Linux: the host command set over paramiko. Windows: each snapshot file's PowerShell over
    OpenSSH or WinRM, as the host's ``windows:`` data says.
    """
    if plan.options.commands is not None:
        raise CollectError(Reason.SETUP, f"{platform.display_name} hosts are collected whole, not command by command")
    options = HostCollectOptions(
        connect_timeout=plan.options.connect_timeout, command_timeout=plan.options.command_timeout
    )
    if platform.name == "windows":
        from scanner.collect.windows import collect_windows, windows_target

        target = windows_target(
            host.name,
            address,
            port,
            username,
            creds.password,
            creds.key_file,
            creds.allow_agent,
            host.get("windows"),
        )
        outcome.snapshot = collect_windows(target, plan.known_hosts, options)
        return outcome
    linux = HostTarget(
        host.name, address, port, username, creds.password, creds.key_file, creds.allow_agent, platform.name
    )
    outcome.snapshot = collect_host(linux, plan.known_hosts, options)
    return outcome


def collect_task(task: Task, plan: _Plan) -> Result:
    """The Nornir task: never raises; the outcome (snapshot or typed error) is the result."""
    started = time.perf_counter()
    try:
        outcome = _collect(task, plan)
    except CollectError as exc:
        outcome = HostCollection(name=task.host.name, error=exc)
    except Exception as exc:  # a driver bug must not end the run
        log.debug("collecting %s failed", task.host.name, exc_info=True)
        outcome = HostCollection(
            name=task.host.name, error=CollectError(Reason.COMMAND, f"{type(exc).__name__}: {exc}")
        )
    finally:
        if CONNECTION_NAME in task.host.connections:
            try:
                task.host.close_connection(CONNECTION_NAME)
            except Exception:
                log.debug("closing the session to %s failed", task.host.name, exc_info=True)
    outcome.seconds = time.perf_counter() - started
    return Result(host=task.host, result=outcome)


def _register_plugin() -> None:
    if CONNECTION_NAME not in ConnectionPluginRegister.available:
        ConnectionPluginRegister.register(CONNECTION_NAME, CheckedNetmiko)


def _log_nornir_to(path: Path) -> None:
    """Nornir's own log (what its ``logging.log_file`` would hold), through the secret-scrubbing filter."""
    from logging.handlers import RotatingFileHandler

    nornir_logger = logging.getLogger("nornir")
    target = str(path.resolve())
    if any(getattr(h, "baseFilename", None) == target for h in nornir_logger.handlers):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(target, maxBytes=10_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    nornir_logger.addHandler(handler)
    nornir_logger.setLevel(logging.DEBUG)


def init_nornir(inventory: Any, options: CollectOptions) -> Any:
    """Nornir on a loaded SimpleInventory with the threaded runner; its own log file only when asked for.

    This is InitNornir's work minus loading the inventory, which the caller already did
    (once, with the clear errors of :func:`scanner.inventory.load_nornir_inventory`).
    """
    from nornir.core import Nornir
    from nornir.core.configuration import Config
    from nornir.core.state import GlobalState
    from nornir.plugins.runners import ThreadedRunner

    _register_plugin()
    if options.nornir_log is not None:
        _log_nornir_to(options.nornir_log)
    workers = max(1, options.workers)
    config = Config.from_dict(
        runner={"plugin": "threaded", "options": {"num_workers": workers}}, logging={"enabled": False}
    )
    return Nornir(inventory=inventory, runner=ThreadedRunner(num_workers=workers), config=config, data=GlobalState())


class _Progress:
    """Nornir processor that hands each finished host to a callback (progress bar or log line)."""

    def __init__(self, on_host: Callable[[HostCollection], None]) -> None:
        self.on_host = on_host

    def task_started(self, task: Task) -> None: ...
    def task_completed(self, task: Task, result: Any) -> None: ...
    def task_instance_started(self, task: Task, host: Any) -> None: ...
    def subtask_instance_started(self, task: Task, host: Any) -> None: ...
    def subtask_instance_completed(self, task: Task, host: Any, result: Any) -> None: ...

    def task_instance_completed(self, task: Task, host: Any, result: Any) -> None:
        outcome = result[0].result if result and isinstance(result[0].result, HostCollection) else None
        if outcome is not None:
            self.on_host(outcome)


def collect(
    inventory: Path,
    selected: Callable[[HostInfo], bool],
    options: CollectOptions,
    on_start: Callable[[int], None] | None = None,
    on_host: Callable[[HostCollection], None] | None = None,
) -> CollectRun:
    """Collect every selected host of ``inventory`` concurrently; results in inventory order."""
    nornir_inventory = load_nornir_inventory(inventory)
    infos = host_infos(nornir_inventory)
    wanted = [name for name, info in infos.items() if selected(info)]
    known_hosts_path = options.known_hosts or default_known_hosts(inventory)
    known_hosts = KnownHosts(known_hosts_path, accept_new=options.accept_new_hostkeys)
    credentials = CredentialSource(options.ssh_key)
    started = time.perf_counter()
    results = collect_hosts(nornir_inventory, wanted, options, known_hosts, credentials, on_start, on_host)
    return CollectRun(
        hosts=[infos[name] for name in wanted],
        results=results,
        seconds=time.perf_counter() - started,
        known_hosts=known_hosts_path,
        learned_hostkeys=list(known_hosts.learned),
    )


def collect_hosts(
    nornir_inventory: Any,
    wanted: list[str],
    options: CollectOptions,
    known_hosts: KnownHosts,
    credentials: CredentialSource,
    on_start: Callable[[int], None] | None = None,
    on_host: Callable[[HostCollection], None] | None = None,
) -> dict[str, HostCollection]:
    """Collect the ``wanted`` hosts of a loaded Nornir inventory (here, or on a worker: scanner.collect.remote)."""
    wanted_set = set(wanted)
    nr = init_nornir(nornir_inventory, options).filter(filter_func=lambda h: h.name in wanted_set)
    plan = _Plan(options=options, known_hosts=known_hosts, credentials=credentials)
    plan.credentials.prompt_if_needed(list(nr.inventory.hosts.values()), _user_extras)
    if on_start is not None:
        on_start(len(wanted))
    if on_host is not None:
        nr = nr.with_processors([_Progress(on_host)])
    aggregated = nr.run(task=collect_task, plan=plan, name="netcomply collect", raise_on_error=False)
    results: dict[str, HostCollection] = {}
    for name in wanted:
        multi = aggregated.get(name)
        outcome = multi[0].result if multi else None
        if not isinstance(outcome, HostCollection):
            detail = (
                f"{type(multi.exception).__name__}: {multi.exception}" if multi and multi.exception else "no result"
            )
            outcome = HostCollection(name=name, error=CollectError(Reason.COMMAND, detail))
        results[name] = outcome
    return results
