"""JUnit XML for CI systems: a test suite per host, a test case per check on that host.

A failed check is a ``<failure>`` whose body holds the evidence lines and the fix; a
check that could not run is an ``<error>``; not applicable and waived are
``<skipped>`` with the reason. An info-level failure is advice, not a failure: the test
case passes and carries the advice in ``<system-out>`` (a CI job must not go red on it).
The layout follows the Maven Surefire dialect that
Jenkins, GitLab and most CI tools read (validated against Jenkins' junit-10.xsd).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from reports import RenderOptions, renderer
from scanner.escaping import strip_controls
from scanner.model import Finding, ScanResult, Severity, Status

_INVALID_XML = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])


def _clean(text: str) -> str:
    return strip_controls(text).translate(_INVALID_XML)


def _body(findings: list[Finding]) -> str:
    lines: list[str] = []
    for f in findings:
        lines.append(f.message)
        lines.extend(f"  {e.where}: {e.text}" + (f"  ({e.path})" if e.path else "") for e in f.evidence)
        if f.remediation:
            lines.append("  fix:")
            lines.extend(f"    {r}" for r in f.remediation)
    return _clean("\n".join(lines))


@renderer("junit", extension="xml", description="JUnit XML: a test case per host and check (CI systems)")
def render_junit(result: ScanResult, options: RenderOptions) -> str:
    by_host: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in result.findings:
        by_host[f.host][f.check].append(f)
    titles = {c.id: c.title for c in result.checks}
    root = ET.Element("testsuites", name="netcomply", time="0")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for host in sorted(by_host):
        cases = by_host[host]
        suite = ET.SubElement(root, "testsuite", name=_clean(host), timestamp=result.run.started.isoformat())
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for check_id in sorted(cases):
            findings = cases[check_id]
            statuses = {f.status for f in findings}
            case = ET.SubElement(suite, "testcase", name=check_id, classname=_clean(f"netcomply.{host}"), time="0")
            counts["tests"] += 1
            failed = [f for f in findings if f.status is Status.FAIL and f.severity > Severity.INFO]
            advice = [f for f in findings if f.status is Status.FAIL and f.severity is Severity.INFO]
            if failed:
                counts["failures"] += 1
                worst = max(failed, key=lambda f: f.severity)
                el = ET.SubElement(
                    case,
                    "failure",
                    type=worst.severity.label,
                    message=_clean(f"{titles.get(check_id, check_id)}: {worst.message}"),
                )
                el.text = _body(failed)
            elif Status.ERROR in statuses:
                counts["errors"] += 1
                errored = [f for f in findings if f.status is Status.ERROR]
                el = ET.SubElement(case, "error", type="cannot-judge", message=_clean(errored[0].message))
                el.text = _body(errored)
            elif statuses <= {Status.NOT_APPLICABLE, Status.WAIVED}:
                counts["skipped"] += 1
                reason = findings[0].message
                ET.SubElement(case, "skipped", message=_clean(reason))
            if advice and not failed:
                ET.SubElement(case, "system-out").text = "advice (info, not a failure):\n" + _body(advice)
        for key, value in counts.items():
            suite.set(key, str(value))
        suite.set("time", "0")
        for key in totals:
            totals[key] += counts[key]
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
