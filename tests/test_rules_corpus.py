"""Rules and fix scripts on every public configuration of ../shared/corpus: verdicts, never a crash."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from reports import render
from scanner.model import Status
from scanner.policy import Policy
from tests.scanhelpers import scan_folder
from tests.test_corpus_scan import _corpus_configs

RULES = """\
rules:
  - id: site.named
    must_contain: '^(hostname|sysname|switchname|system host-name) \\S+'
  - id: site.interfaces_described
    within: '^(interface|interfaces \\S+$)'
    must_contain: '^description '
    fix: description <what it connects>
  - id: site.no_telnet_on_vty
    within: ['^(line|user-interface) vty']
    must_not_contain: 'telnet|inbound all'
  - id: site.bgp_neighbors_described
    within: ['^(router bgp|bgp \\d+|protocols bgp)', '^(address-family|ipv4-family|group)']
    must_contain: 'neighbor|peer'
"""


def test_rules_judge_the_corpus_and_its_fixes_render(corpus: Path, tmp_path: Path) -> None:
    flat = tmp_path / "flat"
    flat.mkdir()
    for index, path in enumerate(_corpus_configs(corpus)):
        shutil.copy(path, flat / f"c{index:03d}.cfg")
    result = scan_folder(flat, policy=Policy.from_text(RULES, "corpus-rules.yaml"))
    rule_findings = [f for f in result.findings if f.check.startswith("site.")]
    assert not [f.message for f in rule_findings if "check failed to run" in f.message]
    judged = Counter(f.platform for f in rule_findings if f.check == "site.named" and f.status is not Status.ERROR)
    assert sum(judged.values()) >= 30, judged
    assert {"cisco_ios", "juniper_junos"} <= set(judged), judged
    described = [f for f in rule_findings if f.check == "site.interfaces_described" and f.status is Status.FAIL]
    assert described and all(f.evidence and f.remediation for f in described)
    fixes = render("fixes", result)
    assert isinstance(fixes, str) and "configure terminal" in fixes
