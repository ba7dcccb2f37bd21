"""The topology as one self-contained HTML page: the SVG inline, findings and differences as tables.

No CDN, no external file: styles and the small script (pan, zoom, search, highlight a
finding's link) are inline, so the page opens offline from a USB stick or a mail
attachment.
"""

from __future__ import annotations

from scanner.escaping import html_text as escape
from scanner.masking import REDACTOR
from scanner.model import Finding, Status
from scanner.topology.compare import Differences, describe_declared
from scanner.topology.diagram import Diagram
from scanner.topology.svg import render_svg

CSS = """
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;
color:#1b2631;background:#f4f6f8}
header{padding:14px 22px;background:#1b2631;color:#fff}
header h1{margin:0;font-size:20px}
header .meta{opacity:.8;font-size:13px}
main{padding:16px 22px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:14px}
.card{background:#fff;border-radius:8px;padding:8px 14px;box-shadow:0 1px 2px rgba(0,0,0,.08);min-width:120px}
.card b{display:block;font-size:20px}
.card.bad b{color:#c0392b}
.toolbar{display:flex;gap:8px;align-items:center;margin:8px 0}
.toolbar input{padding:5px 8px;border:1px solid #aab;border-radius:5px;min-width:240px}
.toolbar button{padding:5px 10px;border:1px solid #aab;border-radius:5px;background:#fff;cursor:pointer}
#canvas{background:#fff;border:1px solid #d5dbe1;border-radius:8px;height:72vh;overflow:hidden;cursor:grab}
#canvas svg{width:100%;height:100%;display:block}
section{margin-top:18px}
h2{font-size:16px;margin:0 0 8px}
table{border-collapse:collapse;width:100%;background:#fff;border-radius:8px;overflow:hidden;font-size:13px}
th,td{padding:6px 9px;border-bottom:1px solid #e5e8eb;text-align:left;vertical-align:top}
th{background:#eef1f4}
tr.finding{cursor:pointer}
tr.finding:hover{background:#f0f6fc}
.status{font-weight:700}
.status.fail{color:#c0392b}.status.error{color:#a04000}.status.waived{color:#7d6608}.status.pass{color:#1e8449}
.muted{color:#7f8c8d}
.empty{color:#566573;font-style:italic}
details summary{cursor:pointer;font-weight:600}
"""

SCRIPT = """
(function () {
  "use strict";
  var svg = document.getElementById("topology");
  var canvas = document.getElementById("canvas");
  if (!svg || !canvas) { return; }
  var full = {x: 0, y: 0, w: svg.viewBox.baseVal.width, h: svg.viewBox.baseVal.height};
  var view = {x: full.x, y: full.y, w: full.w, h: full.h};
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  function apply() { svg.setAttribute("viewBox", view.x + " " + view.y + " " + view.w + " " + view.h); }
  function zoom(factor, cx, cy) {
    var nw = Math.min(Math.max(view.w * factor, 80), full.w * 4);
    var ratio = nw / view.w;
    view.x = cx - (cx - view.x) * ratio;
    view.y = cy - (cy - view.y) * ratio;
    view.w = nw;
    view.h = view.h * ratio;
    apply();
  }
  function toSvg(evt) {
    var rect = svg.getBoundingClientRect();
    var scale = Math.max(view.w / rect.width, view.h / rect.height);
    var offX = (rect.width * scale - view.w) / 2, offY = (rect.height * scale - view.h) / 2;
    return {x: view.x - offX + (evt.clientX - rect.left) * scale, y: view.y - offY + (evt.clientY - rect.top) * scale,
            scale: scale};
  }
  canvas.addEventListener("wheel", function (evt) {
    evt.preventDefault();
    var p = toSvg(evt);
    zoom(evt.deltaY > 0 ? 1.15 : 1 / 1.15, p.x, p.y);
  }, {passive: false});
  var drag = null;
  canvas.addEventListener("mousedown", function (evt) { drag = {x: evt.clientX, y: evt.clientY}; });
  window.addEventListener("mouseup", function () { drag = null; });
  window.addEventListener("mousemove", function (evt) {
    if (!drag) { return; }
    var scale = toSvg(evt).scale;
    view.x -= (evt.clientX - drag.x) * scale;
    view.y -= (evt.clientY - drag.y) * scale;
    drag = {x: evt.clientX, y: evt.clientY};
    apply();
  });
  function clear() {
    Array.prototype.forEach.call(svg.querySelectorAll(".hl"), function (el) { el.classList.remove("hl"); });
  }
  function focus(elements) {
    if (!elements.length) { return; }
    var box = null;
    elements.forEach(function (el) {
      el.classList.add("hl");
      var b = el.getBBox();
      box = box ? {x1: Math.min(box.x1, b.x), y1: Math.min(box.y1, b.y), x2: Math.max(box.x2, b.x + b.width),
                   y2: Math.max(box.y2, b.y + b.height)} : {x1: b.x, y1: b.y, x2: b.x + b.width, y2: b.y + b.height};
    });
    var pad = 120;
    view = {x: box.x1 - pad, y: box.y1 - pad, w: box.x2 - box.x1 + 2 * pad, h: box.y2 - box.y1 + 2 * pad};
    apply();
  }
  function nodesNamed(test) {
    return Array.prototype.filter.call(svg.querySelectorAll("g.node"), function (g) {
      return test(g.getAttribute("data-name") || "");
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("tr.finding"), function (row) {
    row.addEventListener("click", function () {
      clear();
      var id = row.getAttribute("data-finding");
      var host = row.getAttribute("data-host");
      var found = Array.prototype.filter.call(svg.querySelectorAll(".edge[data-findings]"), function (e) {
        return e.getAttribute("data-findings").split(" ").indexOf(id) >= 0;
      });
      found = found.concat(nodesNamed(function (name) { return name === host; }));
      focus(found);
      canvas.scrollIntoView({behavior: "smooth", block: "center"});
    });
  });
  var search = document.getElementById("search");
  search.addEventListener("input", function () {
    clear();
    var text = search.value.trim().toLowerCase();
    if (!text) { return; }
    nodesNamed(function (name) { return name.toLowerCase().indexOf(text) >= 0; })
      .forEach(function (g) { g.classList.add("hl"); });
  });
  search.addEventListener("keydown", function (evt) {
    if (evt.key !== "Enter") { return; }
    var text = search.value.trim().toLowerCase();
    focus(nodesNamed(function (name) { return text && name.toLowerCase().indexOf(text) >= 0; }).slice(0, 1));
  });
  document.getElementById("zoom-in").addEventListener("click", function () {
    zoom(1 / 1.4, view.x + view.w / 2, view.y + view.h / 2);
  });
  document.getElementById("zoom-out").addEventListener("click", function () {
    zoom(1.4, view.x + view.w / 2, view.y + view.h / 2);
  });
  document.getElementById("zoom-fit").addEventListener("click", function () {
    clear();
    view = {x: full.x, y: full.y, w: full.w, h: full.h};
    apply();
  });
  document.body.setAttribute("data-ready", "1");
})();
"""


def render_html(diagram: Diagram) -> str:
    topology = diagram.topology
    failures = [f for f in diagram.findings if f.status is Status.FAIL]
    cards = [
        ("devices", len(topology.devices), False),
        ("in the inventory", len(topology.managed), False),
        ("not in the inventory", len(topology.unmanaged), False),
        ("links", len(topology.links), False),
        ("offending links", len(diagram.breaches), bool(diagram.breaches)),
        ("failed checks", len(failures), bool(failures)),
    ]
    if diagram.differences is not None:
        cards.append(("differences from declared", diagram.differences.count, diagram.differences.count > 0))
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{escape(diagram.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        f"<header><h1>{escape(diagram.title)}</h1>",
        f'<div class="meta">generated {escape(diagram.generated)} · devices grouped by zone; firewalls and '
        "isolation devices in orange; offending links in red; click a finding to show it</div></header>\n<main>\n",
        '<div class="cards">',
        "".join(
            f'<div class="card{" bad" if bad else ""}"><b>{value}</b>{escape(label)}</div>'
            for label, value, bad in cards
        ),
        "</div>\n",
        '<div class="toolbar"><input id="search" type="search" placeholder="find a device (Enter to zoom)">'
        '<button id="zoom-in" type="button">+</button><button id="zoom-out" type="button">&#8722;</button>'
        '<button id="zoom-fit" type="button">fit</button></div>\n',
        f'<div id="canvas">{render_svg(diagram, standalone=False)}</div>\n',
        _findings_section(diagram.findings),
        _differences_section(diagram.differences),
        _warnings_section(diagram.warnings),
        _devices_section(diagram),
        f"</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
    ]
    return REDACTOR.scrub("".join(parts))


def _findings_section(findings: list[Finding]) -> str:
    shown = [(i, f) for i, f in enumerate(findings) if f.status is not Status.PASS]
    rows = []
    for index, finding in shown:
        rows.append(
            f'<tr class="finding" data-finding="f{index}" data-host="{escape(finding.host)}">'
            f'<td class="status {finding.status.value}">{escape(finding.status.value)}</td>'
            f"<td>{escape(finding.severity.label)}</td><td>{escape(finding.check)}</td>"
            f"<td>{escape(finding.host)}</td><td>{escape(finding.message)}</td></tr>"
        )
    passed = [f for f in findings if f.status is Status.PASS]
    body = (
        "<table><thead><tr><th>status</th><th>severity</th><th>check</th><th>host</th><th>finding</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else '<p class="empty">no topology check failed</p>'
    )
    passes = ""
    if passed:
        items = "".join(
            f"<tr><td>{escape(f.check)}</td><td>{escape(f.host)}</td><td>{escape(f.message)}</td></tr>" for f in passed
        )
        passes = (
            f"<details><summary>{len(passed)} passed</summary><table><thead><tr><th>check</th><th>host</th>"
            f"<th>result</th></tr></thead><tbody>{items}</tbody></table></details>"
        )
    return f'<section id="findings"><h2>Findings</h2>{body}{passes}</section>\n'


def _differences_section(diff: Differences | None) -> str:
    if diff is None:
        return ""
    rows = []
    for item in diff.missing_links:
        where = f" (line {item.evidence.line})" if item.evidence is not None and item.evidence.line else ""
        rows.append(("declared link not seen", describe_declared(item) + where))
    for link in diff.undocumented_links:
        rows.append(("link seen, not declared", f"{link.describe()} [{', '.join(sorted(link.sources))}]"))
    for declared, link in diff.port_mismatches:
        rows.append(("ports differ", f"declared {describe_declared(declared)}; seen {link.describe()}"))
    for name in diff.missing_devices:
        rows.append(("declared device not seen", name))
    for name in diff.undocumented_devices:
        rows.append(("device seen, not declared", name))
    body = (
        "<table><thead><tr><th>difference</th><th>what</th></tr></thead><tbody>"
        + "".join(f"<tr><td>{escape(kind)}</td><td>{escape(text)}</td></tr>" for kind, text in rows)
        + "</tbody></table>"
        if rows
        else '<p class="empty">the discovered topology matches the declared one</p>'
    )
    return (
        f'<section id="differences"><h2>Differences from the declared topology '
        f'<span class="muted">({escape(diff.source)})</span></h2>{body}</section>\n'
    )


def _warnings_section(warnings: list[str]) -> str:
    if not warnings:
        return ""
    items = "".join(f"<li>{escape(w)}</li>" for w in warnings)
    return f'<section id="warnings"><h2>Warnings</h2><ul>{items}</ul></section>\n'


def _devices_section(diagram: Diagram) -> str:
    rows = []
    for device in sorted(diagram.topology.devices.values(), key=lambda d: (not d.managed, d.name)):
        state = "in inventory" if device.managed else ("declared" if device.declared else "not in inventory")
        if device.note:
            state += f"; {device.note}"
        rows.append(
            "<tr>"
            + "".join(
                f"<td>{escape(str(v or ''))}</td>"
                for v in (device.name, device.zone, device.role, device.site, device.platform, state)
            )
            + "</tr>"
        )
    return (
        f'<section id="devices"><details><summary>{len(rows)} devices</summary><table><thead><tr><th>device</th>'
        "<th>zone</th><th>role</th><th>site</th><th>platform</th><th>state</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></details></section>\n"
    )
