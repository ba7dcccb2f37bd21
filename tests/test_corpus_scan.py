"""Every configuration in ../shared/corpus goes through the whole scan without an exception."""

from __future__ import annotations

import shutil
from pathlib import Path

from scanner.model import Status
from tests.scanhelpers import scan_folder

_SKIP_SUFFIXES = (".yml", ".yaml", ".json", ".xml", ".md", ".py")


def _corpus_configs(corpus: Path) -> list[Path]:
    """Whole configs and config-like captures: everything but parsed-output files and CLI show captures."""
    found = []
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.suffix in _SKIP_SUFFIXES or path.name.startswith("README"):
            continue
        if "ntc-templates" in path.parts and "running-config" not in str(path):
            continue
        found.append(path)
    return found


def test_no_corpus_config_crashes_the_scan(corpus: Path, tmp_path: Path) -> None:
    configs = _corpus_configs(corpus)
    assert len(configs) > 80
    flat = tmp_path / "flat"
    flat.mkdir()
    names = {}
    for index, path in enumerate(configs):
        name = f"c{index:03d}"
        names[name] = path
        shutil.copy(path, flat / f"{name}.cfg")
    result = scan_folder(flat)
    by_host: dict[str, list] = {}
    for finding in result.findings:
        by_host.setdefault(finding.host, []).append(finding)
    assert set(by_host) == set(names), "every config yields findings"
    for host, findings in by_host.items():
        for finding in findings:
            assert "check failed to run" not in finding.message, f"{names[host]}: {finding.message}"
            assert "cannot parse the snapshot" not in finding.message, f"{names[host]}: {finding.message}"
            if finding.status is Status.ERROR:
                assert finding.message.startswith("cannot judge: "), finding.message
    judged = [h for h, fs in by_host.items() if any(f.status is not Status.ERROR for f in fs)]
    assert len(judged) >= 30, "the Cisco-family configs at least are judged, not just refused"
