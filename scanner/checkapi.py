"""How a check is declared, and the registry of every check.

A check is a small, pure function of a host's :class:`~scanner.facts.Facts` and a
:class:`Context`; its metadata (id, title, severity, rationale, messages) is data
declared beside it with :func:`check`. Messages live in the declaration, keyed, so a
translation is one table per check and no message text is scattered through code.
Which form items and benchmark clauses a check covers is kept apart, as data, in
``checks/frameworks/*.yaml``.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from scanner.model import Evidence, HostInfo, Severity, Status

if TYPE_CHECKING:
    from scanner.aclfacts import AccessFacts
    from scanner.arptable import ArpTable
    from scanner.facts import Facts, Interface, Neighbor, PlatformInfo
    from scanner.policy import Policy

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Result:
    """One verdict of a check, before the engine turns it into a :class:`~scanner.model.Finding`.

    ``key`` names a message in the check's ``messages``; ``params`` are formatted into it.
    """

    status: Status
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    fix: tuple[str, ...] = ()
    host: str | None = None

    @classmethod
    def ok(cls, key: str, evidence: Iterable[Evidence | None] = (), **params: Any) -> Result:
        return cls(Status.PASS, key, params, _evidence(evidence))

    @classmethod
    def fail(cls, key: str, evidence: Iterable[Evidence | None] = (), fix: Iterable[str] = (), **params: Any) -> Result:
        return cls(Status.FAIL, key, params, _evidence(evidence), tuple(fix))

    @classmethod
    def not_applicable(cls, key: str, **params: Any) -> Result:
        return cls(Status.NOT_APPLICABLE, key, params)

    @classmethod
    def error(cls, key: str, evidence: Iterable[Evidence | None] = (), **params: Any) -> Result:
        return cls(Status.ERROR, key, params, _evidence(evidence))

    def on_host(self, host: str) -> Result:
        """The same verdict, attributed to another host (network-wide checks)."""
        return Result(self.status, self.key, self.params, self.evidence, self.fix, host)


def _evidence(items: Iterable[Evidence | None]) -> tuple[Evidence, ...]:
    return tuple(e for e in items if e is not None)


@dataclass
class Context:
    """What a check may read besides the facts: the host's inventory data, the policy, the clock.

    ``attachments`` carries what context providers prepared for this host before the
    checks ran (the I/O a check may not do itself: a backup store lookup, ...), by name.
    """

    host: HostInfo
    policy: Policy
    now: datetime
    attachments: Mapping[str, Any] = field(default_factory=dict)


# The engine's own messages, used for every check: a fact family it needs is missing,
# or the check raised.
COMMON_MESSAGES = {
    "unavailable": "cannot judge: {reason}",
    "incomplete": "cannot judge: {reason}; only a failure shown by a line present is reported from it",
    "crashed": "check failed to run: {reason}",
    "disabled_platform": "not checked on {platform}",
    "not_concerned": "{reason}",
    "other_kind": "a check of {kind} platforms; {platform} is not one",
}

# Common not_applicable keys that mean "could not be assessed" rather than "does not apply":
# the check is not implemented for the host's platform. (Audit forms say 未核查, not 不适用.)
UNASSESSED_COMMON = frozenset({"disabled_platform"})

# Platform kinds (Platform.kind): a check runs only on hosts whose platform is of its kind.
KIND_LABELS = {"network": "network-device", "host": "server"}


@dataclass(frozen=True)
class HostRecord:
    """What network-wide checks know of each scanned host (kept small: one per host, for the whole run)."""

    host: HostInfo
    platform: str | None
    hostname: str | None
    neighbors: tuple[Neighbor, ...] = ()
    serials: tuple[str, ...] = ()
    # Why the host's neighbours could not be read (None when they were): its links are then
    # known only from what its neighbours report.
    neighbors_missing: str | None = None
    # The interfaces that carry an address (the network's address plan, zones by subnet): kept
    # small, the bridging ports are left out. Pickled apart and decoded on first read (see
    # __reduce__); a default factory, so that no class attribute hides a record not decoded yet.
    interfaces: tuple[Interface, ...] = field(default_factory=tuple)
    # The device's access lists, their uses and its routing (None when the platform reads none):
    # the ACL model's input (zones crossed, "can A reach B?").
    access: AccessFacts | None = None
    # The platform itself (its fixes in the vendor's syntax), for network checks that give one.
    platform_info: PlatformInfo | None = None
    # The IPv4 ARP table (compact: a few typed arrays), or why it could not be read.
    arp: ArpTable | None = None
    arp_missing: str | None = None
    # Why the configuration is not recognisably whole, or could not be read (None when whole):
    # network checks then keep only the failures its lines show (see Facts.config_incomplete).
    config_incomplete: str | None = None
    # The platform's kind (Platform.kind): "network" devices, or "host" servers.
    kind: str = "network"

    def __reduce__(self) -> tuple[Callable[..., HostRecord], tuple[dict[str, Any], bytes]]:
        """Pickled with its interfaces pickled apart, and unpickled without decoding them.

        Every network model reads every record (the scan keeps them packed, and a worker
        sends its host's), but only the IP and ACL models read the interfaces, most of a
        record's decoding (their addresses and evidence): the topology graph and the ACL
        model's first pass decode none. ``interfaces`` decodes them on first read.
        """
        state = dict(self.__dict__)
        raw = state.pop(_PICKLED_INTERFACES, None)
        interfaces = state.pop("interfaces", None)
        if raw is None:
            raw = pickle.dumps(interfaces, protocol=pickle.HIGHEST_PROTOCOL)
        return (_unpickled_record, (state, raw))

    def __getattr__(self, name: str) -> Any:
        # Only for what the instance lacks: the interfaces of a record unpickled, before their first read.
        if name == "interfaces":
            raw = self.__dict__.get(_PICKLED_INTERFACES)
            if raw is not None:
                interfaces = pickle.loads(raw)
                self.__dict__["interfaces"] = interfaces
                del self.__dict__[_PICKLED_INTERFACES]
                return interfaces
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


_PICKLED_INTERFACES = "_pickled_interfaces"


def _unpickled_record(state: dict[str, Any], interfaces: bytes) -> HostRecord:
    record = object.__new__(HostRecord)
    record.__dict__.update(state)
    record.__dict__[_PICKLED_INTERFACES] = interfaces
    return record


class ModelUnavailable(Exception):
    """A network model could not be built from this scan's inputs (the reason is the message)."""


@dataclass
class NetworkContext:
    """What a network-wide check reads: every host's record, the policy, the clock, the network models.

    ``inventory`` lists every host in scope, also those that could not be parsed (they have
    no record) and those the scan's selection left ``outside`` (known for their zone, role
    and site; a verdict filed on one of them is dropped). ``attachments`` carries what the
    caller prepared for network checks (the inventory's declared links, ...).

    ``models`` holds the network-scope models (the topology graph, ...) by name: the
    engine builds each one once per scan, when a check first reads it, and every check
    reads the same object. Checks must not change them. Reading a model that could not be
    built raises :class:`ModelUnavailable` with the reason. ``collected`` holds, by model
    name, what a model's :class:`RecordCollector` gathered from each record as the scan
    accepted it (the builders' input, not the checks').
    """

    hosts: Sequence[HostRecord]
    policy: Policy
    now: datetime
    inventory: Sequence[HostInfo] = field(default_factory=list)
    attachments: Mapping[str, Any] = field(default_factory=dict)
    outside: frozenset[str] = frozenset()
    models: Mapping[str, Any] = field(default_factory=dict)
    collected: Mapping[str, Any] = field(default_factory=dict)


ModelBuilder = Callable[[NetworkContext], Any]


class RecordCollector(Protocol):
    """Part of a network model's input, gathered from each host record when the scan accepts it.

    ``position`` is the record's place in ``NetworkContext.hosts``. The record is at hand
    then (an object in the scanning process, or decoded while workers still scan), so its
    builder need not decode every record again at the end, alone.
    """

    def add(self, position: int, record: HostRecord) -> None: ...


class NetworkModels(Mapping[str, Any]):
    """The network models of one scan, each built on first read and kept; a failed build is remembered."""

    def __init__(self, builders: Mapping[str, ModelBuilder], context: NetworkContext) -> None:
        self._builders = dict(builders)
        self._context = context
        self._built: dict[str, Any] = {}
        self._failed: dict[str, str] = {}
        # The models the running check said it reads (CheckSpec.models); None: any.
        self.declared: tuple[str, ...] | None = None

    def __getitem__(self, name: str) -> Any:
        if self.declared is not None and name not in self.declared:
            # The engine lets models go after their last declared reader: an undeclared read
            # would rebuild one, or find it gone, so it is a bug in the check, said at once.
            raise LookupError(f"the check reads the {name!r} model without declaring it (check(models=...))")
        if name in self._built:
            return self._built[name]
        if name in self._failed:
            raise ModelUnavailable(self._failed[name])
        builder = self._builders[name]
        try:
            model = builder(self._context)
        except ModelUnavailable as exc:
            self._failed[name] = str(exc)
            raise
        self._built[name] = model
        return model

    def __iter__(self) -> Iterator[str]:
        return iter(self._builders)

    def __len__(self) -> int:
        return len(self._builders)

    def built(self, name: str) -> bool:
        return name in self._built

    def release(self, name: str) -> None:
        """Let a built model go (no later check reads it): its memory is the estate's size."""
        self._built.pop(name, None)


HostCheck = Callable[["Facts", Context], "Result | Iterable[Result]"]
# Returns None when the check concerns the host, else the reason it does not.
Applicability = Callable[[Context], "str | None"]
NetworkCheck = Callable[[NetworkContext], Iterable[Result]]


@dataclass(frozen=True)
class CheckSpec:
    id: str
    title: str
    severity: Severity
    rationale: str
    func: HostCheck | NetworkCheck
    messages: Mapping[str, str]
    needs: tuple[str, ...] = ()
    platforms: tuple[str, ...] | None = None
    remediation: str = ""
    fixes: tuple[str, ...] = ()
    scope: str = "host"
    applies: Applicability | None = None
    kind: str = "network"
    # Where the check comes from: "" for netcomply's own, "plugin DIST (ENTRY)" for an
    # installed package's (entry point group netcomply.checks), "rule FILE:LINE" for a policy rule.
    origin: str = ""
    # True when the check itself tells, on a configuration that is not whole
    # (Facts.config_incomplete), a verdict resting on absence from one resting on lines that
    # are there (user rules do). Otherwise the engine keeps only its failures shown by a line.
    judges_incomplete: bool = False
    unassessed: frozenset[str] = frozenset()
    # The network models a network check reads (NetworkContext.models); None: not said, it may
    # read any. The engine lets a model go after the last check that may read it.
    models: tuple[str, ...] | None = None

    def assessed(self, status: Status, key: str | None) -> bool:
        """False for a not_applicable verdict that says the host could not be assessed (see ``check``)."""
        return not (status is Status.NOT_APPLICABLE and (key in self.unassessed or key in UNASSESSED_COMMON))

    def message(self, key: str, params: Mapping[str, Any]) -> str:
        template = self.messages.get(key) or COMMON_MESSAGES.get(key)
        if template is None:
            raise KeyError(f"check {self.id} has no message {key!r}")
        return template.format(**params)

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]


_REGISTRY: dict[str, CheckSpec] = {}
_ORIGIN = [""]


@contextmanager
def registering_from(origin: str) -> Iterator[None]:
    """Checks registered inside this block are marked as coming from ``origin`` (a plugin)."""
    _ORIGIN.append(origin)
    try:
        yield
    finally:
        _ORIGIN.pop()


def check(
    *,
    scope: str = "host",
    id: str,
    title: str,
    severity: str,
    rationale: str,
    messages: Mapping[str, str],
    needs: Iterable[str] = (),
    platforms: Iterable[str] | None = None,
    remediation: str = "",
    fixes: Iterable[str] = (),
    applies: Applicability | None = None,
    kind: str = "network",
    unassessed: Iterable[str] = (),
    models: Iterable[str] | None = None,
) -> Callable[[Any], Any]:
    """Register a check.

    ``applies`` says whether the host concerns the check at all (else ``not_applicable``,
    before anything else is looked at). ``needs``: fact families without which it cannot
    judge (an ``error``). ``scope="network"`` checks take a :class:`NetworkContext` and
    return results naming their host; host checks take (facts, context).

    ``kind`` is the platform kind the check is written for (``"network"`` devices or
    ``"host"`` servers); on a platform of the other kind it is ``not_applicable``.

    ``fixes`` lists the remediation keys the check asks platforms for, so a test can prove
    every platform provides them.

    ``unassessed`` names the not_applicable message keys that mean "could not be assessed"
    (no backup store given, the agent not probed, a cipher that cannot be measured) rather
    than "does not apply to this host" (not a key device, the platform cannot serve TFTP):
    an audit form then says 未核查 (not assessed), never 不适用 (not applicable).

    ``models`` names the network models a network check reads (``ctx.models[...]``); a model
    no later check may read is let go, so a scan holds one estate-sized model at a time.
    Left out, the check may read any model and every model built before it stays.
    """
    if not _ID_RE.match(id):
        raise ValueError(f"check id {id!r} must look like family.name")

    if scope not in ("host", "network"):
        raise ValueError(f"check {id}: scope must be 'host' or 'network'")
    if kind not in KIND_LABELS:
        raise ValueError(f"check {id}: kind must be one of {', '.join(KIND_LABELS)}")

    def register(func: Any) -> Any:
        if id in _REGISTRY:
            raise ValueError(f"check id {id!r} registered twice")
        _REGISTRY[id] = CheckSpec(
            id=id,
            title=title,
            severity=Severity.parse(severity),
            rationale=rationale,
            func=func,
            messages=dict(messages),
            needs=tuple(needs),
            platforms=tuple(platforms) if platforms is not None else None,
            remediation=remediation,
            fixes=tuple(fixes),
            scope=scope,
            applies=applies,
            kind=kind,
            origin=_ORIGIN[-1],
            unassessed=frozenset(unassessed),
            models=tuple(models) if models is not None else None,
        )
        return func

    return register


def registered_checks() -> list[CheckSpec]:
    """Every check registered so far, by id. Loading the shipped checks is :func:`checks.load_checks`'s job."""
    return sorted(_REGISTRY.values(), key=lambda spec: spec.id)


def registered_check(check_id: str) -> CheckSpec:
    return _REGISTRY[check_id]


def unregister(check_id: str) -> None:
    """Forget a check (a plugin module whose import failed half-way leaves none behind)."""
    _REGISTRY.pop(check_id, None)
