"""Fix scripts: the commands of one device's failures, merged into one script its CLI accepts.

Each failing finding carries its fix as configuration lines in the device's syntax (a
snippet: parent lines, then indented children). Several findings often touch the same
section (two fixes under ``line vty 0 4``, three under ``aaa``); pasted one after the
other they would enter the section twice and repeat lines. hier_config (the library
network teams use for remediation) parses each snippet with the platform's driver,
merges them under their shared parents, drops repeats, applies the platform's ordering
rules, and writes each section's exit (``exit``, ``quit``). Junos fixes are set lines,
which need no merging: they are kept in order, repeats dropped.

Secrets never appear in a fix: values the parser masked (``pu***``) become placeholders
(``<pu***>``) that name the secret the device holds without giving it away, like the
``<new-password>`` placeholders of the shipped fixes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from hier_config import HConfigChild, Platform, get_hconfig, get_hconfig_driver
from hier_config.platforms.driver_base import HConfigDriverBase
from hier_config.platforms.hp_comware5.driver import HConfigDriverHPComware5

from scanner.masking import MASK
from scanner.platforms.base import Platform as DevicePlatform

log = logging.getLogger("netcomply.remediation")

_MASKED_TOKEN = re.compile(r"(?<![<\w*])([^\s<>]*" + re.escape(MASK) + r"[^\s<>]*)")


class _ComwareDriver(HConfigDriverHPComware5):
    """Comware leaves a view with ``quit`` (H3C's CLI guides); hier_config's Comware 5 driver writes ``exit``."""

    def sectional_exit(self, config: HConfigChild) -> str | None:
        exit_text = super().sectional_exit(config)
        return "quit" if exit_text == "exit" else exit_text


def placeholders(line: str) -> str:
    """``no snmp-server community pu*** RO`` -> ``no snmp-server community <pu***> RO``."""
    return _MASKED_TOKEN.sub(r"<\1>", line)


def fix_script(platform: DevicePlatform | None, blocks: Sequence[Sequence[str]]) -> list[str]:
    """The commands of ``blocks`` (one per finding) as one script, without the configuration-mode lines."""
    blocks = [[placeholders(line.rstrip()) for line in block if line.strip()] for block in blocks]
    if platform is None or platform.hier_config is None:
        return list(dict.fromkeys(line.strip() for block in blocks for line in block))
    try:
        driver = _driver(platform.hier_config)
        merged = get_hconfig(driver)
        for section in _sections(blocks):
            merged.merge(get_hconfig(driver, "\n".join(section)))
        return list(merged.lines(sectional_exiting=True))
    except Exception as exc:  # a snippet hier_config cannot read must not lose the others
        log.warning("merging the fixes for %s failed (%s: %s); kept in order", platform.name, type(exc).__name__, exc)
        return [line for block in blocks for line in block]


def _sections(blocks: Sequence[Sequence[str]]) -> list[list[str]]:
    """Each top-level line with the indented lines under it (a snippet may enter ``aaa`` twice)."""
    sections: list[list[str]] = []
    for block in blocks:
        for line in block:
            if not line[:1].isspace() or not sections:
                sections.append([line])
            else:
                sections[-1].append(line)
    return sections


def _driver(name: str) -> HConfigDriverBase:
    if name == Platform.HP_COMWARE5.name:
        return _ComwareDriver()
    return get_hconfig_driver(Platform[name])
