"""What every platform module provides, and the parsing steps they share.

A platform knows its vendor: the commands to collect, how to read them into
:class:`~scanner.facts.Facts`, how to recognise its configuration text, and the fix for
each finding in its own syntax. Adding a vendor is one new module in this package
that subclasses :class:`Platform`; it is registered by being there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from scanner.configtree import Backend, ConfigTree, Line
from scanner.configtree_reference import build_tree
from scanner.configview import ConfigView, TreeSection
from scanner.facts import CONFIG, NEIGHBORS, POWER, VERSION, Facts, PowerSupply
from scanner.masking import mask_line
from scanner.model import Evidence
from scanner.platforms._acl.fixes import acl_fix
from scanner.platforms._sources import read_sources
from scanner.showparse import ShowParseError, parse_show
from scanner.snapshot import Snapshot, rejection


@dataclass(frozen=True)
class CommandSet:
    """The fixed commands collected from a platform (DESIGN.md's table)."""

    version: str
    config: str
    power: tuple[str, ...] = ()
    neighbors: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        return (self.version, self.config, *self.power, *self.neighbors)


EvidenceMaker = Callable[[int, str], Evidence]


def merge_power_sources(supplies: list[PowerSupply]) -> list[PowerSupply]:
    """One list from an inventory (presence only) and an environment command (status).

    When any source reported a status, its rows are the truth and presence-only rows
    are dropped (they describe the same units under other names); otherwise the
    presence-only rows stand, with status ``unknown``.
    """
    known = [s for s in supplies if s.status != "unknown"]
    return known or supplies


class Platform:
    """Base class of a platform. Subclasses set the class attributes and the ``parse_*`` steps."""

    name: ClassVar[str]
    # "network" (a device read from its configuration) or "host" (a server read from
    # its state): a check runs only on platforms of its own kind, else not_applicable.
    kind: ClassVar[str] = "network"
    display_name: ClassVar[str]
    vendor: ClassVar[str]
    aliases: ClassVar[tuple[str, ...]] = ()
    ntc_platform: ClassVar[str]
    commands: ClassVar[CommandSet]
    comment: ClassVar[str] = "!"
    # Commands sent after login so outputs are not paginated.
    session_setup: ClassVar[tuple[str, ...]] = ()
    # The last line of a whole configuration ("end", "return"); None when the platform has none.
    config_end: ClassVar[str | None] = None
    # False where the platform cannot be a TFTP server at all (services.tftp is then not_applicable).
    serves_tftp: ClassVar[bool] = True
    fixes: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    # The prefix that negates a configuration command ("no ", "undo "): how a line a user rule
    # forbids is removed.
    negation: ClassVar[str] = "no "
    # Fix scripts (`netcomply fix`, the `fixes` format): hier_config's Platform name, whose
    # driver merges and orders the commands (None: kept in the order given, as Junos set
    # lines are), and the commands that enter and leave configuration mode (None: none).
    hier_config: ClassVar[str | None] = None
    config_mode: ClassVar[tuple[str, str] | None] = None
    # The access-list syntax family ("ios", "nxos", "eos", "huawei", "h3c", "junos"): its ACL
    # fixes (scanner/platforms/_acl/fixes.py) are this platform's too.
    acl_dialect: ClassVar[str | None] = None
    # How the device's CLI looks, for the simulated lab devices and for prompt matching:
    # the prompt ({hostname}, {user}) and what it prints when it refuses a command.
    cli_prompt: ClassVar[str] = "{hostname}#"
    cli_rejection: ClassVar[str] = "% Invalid input detected at '^' marker."
    # Regexes of configuration lines that change without a configuration change
    # (timestamps, byte counts): removed before a backup is stored or compared.
    volatile: ClassVar[tuple[str, ...]] = ()

    def __repr__(self) -> str:
        return f"<Platform {self.name}>"

    # ---- recognising a configuration --------------------------------------------------

    @classmethod
    def detect(cls, text: str) -> int:
        """How strongly ``text`` looks like this platform's configuration: 0 = not at all.

        ``text`` is the head of the configuration (2 KB, then 16 KB when no platform
        scores 4 or more), so markers must be found near the top.
        """
        return 0

    # ---- remediation ---------------------------------------------------------------------

    def fix(self, key: str, **params: object) -> tuple[str, ...]:
        """The commands that fix ``key`` on this platform; parameters are formatted in (secrets mask themselves)."""
        template = self.fixes.get(key)
        if template is None:
            return acl_fix(self.acl_dialect, key, params) or ()
        return tuple(line.format(**params) for line in template)

    # ---- parsing -------------------------------------------------------------------------

    def parse(self, snapshot: Snapshot, backend: Backend = "native") -> Facts:
        facts = Facts(host=snapshot.host, platform=self)
        version = self.read(snapshot, self.commands.version, facts, VERSION)
        if version is not None:
            self.parse_version(version, facts, self.evidence_maker(snapshot, self.commands.version))
        config = self.read(snapshot, self.commands.config, facts, CONFIG)
        if config is not None:
            tree = self.config_tree(config, backend)
            if len(tree) == 0:
                facts.missing(CONFIG, f"{self.commands.config}: output has no configuration lines")
            else:
                ev = self.evidence_maker(snapshot, self.commands.config)
                self.parse_config(tree, facts, ev)
                facts.config_view = self.config_view(tree, config, ev)
        self._parse_sources(snapshot, facts, POWER, self.commands.power, self.parse_power)
        self._parse_sources(snapshot, facts, NEIGHBORS, self.commands.neighbors, self.parse_neighbors)
        read_sources(snapshot, facts)
        return facts

    def _parse_sources(
        self,
        snapshot: Snapshot,
        facts: Facts,
        family: str,
        commands: tuple[str, ...],
        step: Callable[[str, str, Facts, EvidenceMaker], None],
    ) -> None:
        """Parse every command of a family; the family is unavailable only when none could be read."""
        if not commands:
            facts.missing(family, f"{self.display_name} has no command for {family} in netcomply's command set")
            return
        reasons = []
        parsed = False
        for command in commands:
            text = self.read(snapshot, command, None, family)
            if text is None:
                reasons.append(self.unreadable_reason(snapshot, command))
                continue
            try:
                step(command, text, facts, self.evidence_maker(snapshot, command))
            except ShowParseError as exc:
                reasons.append(str(exc))
                continue
            parsed = True
        if not parsed:
            facts.missing(family, "; ".join(reasons))
        elif family == POWER:
            facts.power_supplies = merge_power_sources(facts.power_supplies)

    def unreadable_reason(self, snapshot: Snapshot, command: str) -> str:
        recorded = snapshot.error_for(command)
        if recorded:
            return f"{command}: {recorded}"
        text = snapshot.output(command)
        if text is None:
            return f"{command}: not in the snapshot"
        if not text.strip():
            return f"{command}: empty output"
        refused = rejection(text)
        return f"{command}: rejected by the device ({refused})" if refused else f"{command}: unreadable"

    def read(self, snapshot: Snapshot, command: str, facts: Facts | None, family: str) -> str | None:
        """The output of ``command``, or None (recording why in ``facts``) when it is missing, empty or rejected."""
        text = snapshot.output(command)
        if text is None or not text.strip() or rejection(text) or snapshot.error_for(command):
            if facts is not None:
                facts.missing(family, self.unreadable_reason(snapshot, command))
            return None
        return text

    @staticmethod
    def evidence_maker(snapshot: Snapshot, command: str) -> EvidenceMaker:
        path = snapshot.path_of(command)

        def make(line: int, text: str) -> Evidence:
            return Evidence.of(command, line, text, path)

        return make

    @staticmethod
    def line_evidence(ev: EvidenceMaker, line: Line) -> Evidence:
        return ev(line.lineno, line.raw)

    def config_tree(self, text: str, backend: Backend = "native") -> ConfigTree:
        """The tree of the collected configuration; a platform that rewrites lines builds it with their numbers."""
        return build_tree(self.prepare_config(text), self.comment, backend)

    def config_view(self, tree: ConfigTree, text: str, ev: EvidenceMaker) -> ConfigView:
        """The configuration as user rules read it (``scanner.configview``): by default the tree's lines."""
        return ConfigView(
            lambda: TreeSection(tree, ev, self.negation), self.commands.config, self.config_truncation(text)
        )

    def config_truncation(self, text: str) -> str | None:
        """Why ``text`` is not known to be the whole configuration, or None.

        A platform whose configuration ends with a fixed line (``config_end``) is whole
        only when that line is its last; a platform without one is taken as whole.
        """
        if self.config_end is None:
            return None
        last = next((line.strip() for line in reversed(text.splitlines()) if line.strip()), "")
        if last == self.config_end:
            return None
        shown = mask_line(last if len(last) <= 60 else last[:57] + "...")
        return (
            f"{self.commands.config}: the output does not end with {self.config_end!r} as a whole "
            f"{self.display_name} configuration does (its last line is {shown!r}): it may be cut off"
        )

    def prepare_config(self, text: str) -> str:
        """Turn the collected config into the indented form the tree reads (Junos braces -> set)."""
        return text

    def parse_version(self, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        """Fill hostname/version/model from the version command. Optional."""

    def parse_config(self, tree: ConfigTree, facts: Facts, ev: EvidenceMaker) -> None:
        raise NotImplementedError

    def parse_power(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        """Add power supplies from one power command's output."""

    def parse_neighbors(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        """Add neighbours from one neighbour command's output."""

    # ---- helpers for subclasses -------------------------------------------------------

    def _environment_rows(self, command: str, text: str) -> list[dict[str, str]]:
        """Template rows of a power/environment table, or [] when the template does not fit this
        model's layout (the caller then falls back to a tolerant table reader)."""
        try:
            return self.show_rows(command, text)
        except ShowParseError:
            return []

    def show_rows(self, command: str, text: str) -> list[dict[str, str]]:
        rows = parse_show(self.ntc_platform, command, text)
        if rows is None:
            raise ShowParseError(f"{command}: no ntc-templates template for {self.ntc_platform}")
        return rows
