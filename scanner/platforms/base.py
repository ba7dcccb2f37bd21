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
from scanner.facts import ARP, CONFIG, NEIGHBORS, POWER, VERSION, Facts, PowerSupply
from scanner.masking import mask_line
from scanner.model import Evidence
from scanner.platforms._acl.fixes import acl_fix
from scanner.platforms._arp import read_arp
from scanner.platforms._recognise import first_statement, foreign_document, last_statement
from scanner.platforms._sources import read_sources
from scanner.platforms._syntax import SyntaxFamily, syntax_family
from scanner.showparse import ShowParseError, parse_show
from scanner.snapshot import Snapshot, rejection


@dataclass(frozen=True)
class CommandSet:
    """The fixed commands collected from a platform (DESIGN.md's table)."""

    version: str
    config: str
    power: tuple[str, ...] = ()
    neighbors: tuple[str, ...] = ()
    # The IPv4 ARP table (at most one command): the IP address checks read it, nothing else needs it.
    arp: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        return (self.version, self.config, *self.power, *self.neighbors, *self.arp)


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
    # The last line of a whole configuration ("end", "return"); None when the platform has none
    # (it then overrides config_truncation()).
    config_end: ClassVar[str | None] = None
    # The configuration language it writes (scanner.platforms._syntax): how a partial
    # configuration without any of its markers is still recognised as its own.
    syntax: ClassVar[SyntaxFamily | None] = None
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

    def config_truncation(self, text: str) -> str | None:
        """Why ``text`` may not be the platform's whole configuration (cut short, a section only), or None.

        A whole configuration ends with ``config_end``; a platform without one overrides this
        with its own proof of completeness (Junos: braces that close; NX-OS: the sections it
        always prints last).
        """
        if self.config_end is None:
            return None
        last = last_statement(text)
        if last == self.config_end:
            return None
        shown = mask_line(last if len(last) <= 60 else last[:57] + "...")
        return (
            f"the output does not end with {self.config_end!r} as a whole {self.display_name} configuration does "
            f"(its last line is {shown!r}): it was cut short, or is a section only"
        )

    def config_problem(self, text: str) -> str | None:
        """Why ``text`` is not this platform's configuration at all (an HTML page, a banner...), or None.

        Recognised are: a text the platform's detector scores, one that ends as a whole
        configuration of the platform does, and one written in the platform's configuration
        language (a section of it, see ``_syntax.py``).
        """
        other = foreign_document(text)
        if other:
            return other
        if self.detect(text[:16_384]) > 0 or (self.config_end is not None and self.config_truncation(text) is None):
            return None
        if self.syntax is not None and syntax_family(text, minimum=1) == self.syntax:
            return None
        first = mask_line(first_statement(text))
        return f"no {self.display_name} configuration statement in it (it begins {first!r})"

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
            self._parse_configuration(snapshot, config, facts, backend)
        self._parse_sources(snapshot, facts, POWER, self.commands.power, self.parse_power)
        self._parse_sources(snapshot, facts, NEIGHBORS, self.commands.neighbors, self.parse_neighbors)
        self._parse_sources(snapshot, facts, ARP, self.commands.arp, self.parse_arp)
        read_sources(snapshot, facts)
        return facts

    def _parse_configuration(self, snapshot: Snapshot, config: str, facts: Facts, backend: Backend) -> None:
        """Parse the configuration, once it is recognised as one; record whether it is whole."""
        command = self.commands.config
        where = f"{command} ({snapshot.path_of(command)})" if snapshot.path_of(command) else command
        problem = self.config_problem(config)
        if problem is not None:
            facts.missing(CONFIG, f"{where} is not a {self.display_name} configuration: {problem}")
            return
        tree = self.config_tree(config, backend)
        if len(tree) == 0:
            facts.missing(CONFIG, f"{where}: output has no configuration lines")
            return
        truncation = self.config_truncation(config)
        if truncation is not None:
            facts.config_incomplete = f"{where} is not recognisably whole: {truncation}"
        ev = self.evidence_maker(snapshot, command)
        self.parse_config(tree, facts, ev)
        facts.config_view = self.config_view(tree, config, ev)

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
            if not facts.power_supplies:
                # Every device has a supply: outputs that show none were not understood.
                read = ", ".join(c for c in commands if snapshot.output(c) is not None)
                facts.missing(POWER, "; ".join([f"{read}: no power supply recognised in the output", *reasons]))

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

    def parse_arp(self, command: str, text: str, facts: Facts, ev: EvidenceMaker) -> None:
        """Read the ARP table (one command per platform; ``scanner/platforms/_arp.py`` knows every layout)."""
        facts.arp = read_arp(self.ntc_platform, command, text, ev(0, "").path)

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
