"""Links written down by hand: ``links.yaml`` in the inventory folder, and declared topology files.

Discovery sees only what CDP and LLDP report; a port with neither (an ISP handoff, a
media converter, a firewall that does not speak LLDP) is declared instead::

    # inventory/links.yaml
    nodes:                      # devices the links name that are not in the inventory
      isp-a: {zone: external, role: router}
    links:
      - a: hq-edge1
        a_interface: Gi0/0/0
        b: isp-a
        note: ISP handoff, no LLDP on the provider side

A declared topology (``netcomply topology --declared FILE``) has the same shape, so a
``links.yaml``, a hand-kept diagram in YAML, or an earlier ``--format json`` output of
``netcomply topology`` can all be compared with what is discovered now.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scanner.decoding import UndecodableError, decode
from scanner.model import Evidence

LINKS_FILE = "links.yaml"
# NetworkContext.attachments keys under which a scan hands the inventory's links.yaml to the checks.
ATTACHMENT = "topology.declared"
ATTACHMENT_ERROR = "topology.declared_error"
_LINE = "__line__"
_NODE_KEYS = {"zone", "role", "site", "spare", "platform", "name", "managed"}


class DeclaredError(Exception):
    """A declared links/topology file that cannot be used, with the file and line."""


@dataclass(frozen=True)
class DeclaredLink:
    a: str
    b: str
    a_interface: str | None = None
    b_interface: str | None = None
    note: str = ""
    evidence: Evidence | None = None


@dataclass(frozen=True)
class DeclaredTopology:
    """Links (and extra nodes) written down by hand, with where each came from."""

    source: str
    links: tuple[DeclaredLink, ...] = ()
    nodes: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.links and not self.nodes


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records the line of every mapping, for evidence and error messages."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_declared(path: Path) -> DeclaredTopology:
    """Read a links.yaml or declared topology file (YAML or JSON)."""
    try:
        text = decode(path.read_bytes())
    except OSError as exc:
        raise DeclaredError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UndecodableError as exc:
        raise DeclaredError(f"cannot read {path}: {exc}") from None
    return parse_declared(text, str(path))


def parse_declared(text: str, source: str) -> DeclaredTopology:
    if not text.strip():
        return DeclaredTopology(source=source)
    try:
        is_json = text.lstrip().startswith(("{", "["))
        data = json.loads(text) if is_json else yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        first = str(exc).splitlines()[0]
        raise DeclaredError(f"{source}: not valid YAML or JSON: {first}") from None
    if data is None:
        return DeclaredTopology(source=source)
    if isinstance(data, list):
        data = {"links": data}
    if not isinstance(data, Mapping):
        raise DeclaredError(f"{source}: expected a mapping with `links` (and optionally `nodes`)")
    unknown = set(data) - {"links", "nodes", _LINE} - _EXTRA_TOP_KEYS
    if unknown:
        raise DeclaredError(f"{source}: unknown key(s) {', '.join(sorted(map(str, unknown)))} (known: links, nodes)")
    return DeclaredTopology(
        source=source,
        links=tuple(_link(item, i, source) for i, item in enumerate(data.get("links") or [])),
        nodes=_nodes(data.get("nodes") or {}, source),
    )


# Keys of `netcomply topology --format json` output, which is also a valid declared topology.
_EXTRA_TOP_KEYS = {"schema", "generated", "findings", "differences", "warnings", "summary", "sources"}


def _where(source: str, item: Mapping[str, Any] | Any, index: int) -> str:
    line = item.get(_LINE) if isinstance(item, Mapping) else None
    return f"{source} line {line}" if line else f"{source} links[{index}]"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _link(item: Any, index: int, source: str) -> DeclaredLink:
    where = _where(source, item, index)
    if not isinstance(item, Mapping):
        raise DeclaredError(f"{where}: a link is a mapping with a, b and optionally a_interface, b_interface, note")
    unknown = set(item) - {"a", "b", "a_interface", "b_interface", "note", _LINE} - _EXTRA_LINK_KEYS
    if unknown:
        raise DeclaredError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    a, b = _text(item.get("a")), _text(item.get("b"))
    if not a or not b:
        raise DeclaredError(f"{where}: a link needs both ends, `a` and `b`")
    if a == b:
        raise DeclaredError(f"{where}: a link cannot join {a} to itself")
    line = item.get(_LINE) or 0
    a_if, b_if = _text(item.get("a_interface")), _text(item.get("b_interface"))
    shown = f"{a} {a_if or ''} <-> {b} {b_if or ''}".replace("  ", " ").strip()
    return DeclaredLink(
        a=a,
        b=b,
        a_interface=a_if,
        b_interface=b_if,
        note=_text(item.get("note")) or "",
        evidence=Evidence.of(Path(source).name, int(line), f"declared link {shown}", source),
    )


# Keys of links in `netcomply topology --format json` output.
_EXTRA_LINK_KEYS = {"sources", "findings", "id"}


def _nodes(value: Any, source: str) -> dict[str, dict[str, Any]]:
    items: list[tuple[str, Any]]
    if isinstance(value, Mapping):
        items = [(str(k), v) for k, v in value.items() if k != _LINE]
    elif isinstance(value, list):
        items = []
        for entry in value:
            if not isinstance(entry, Mapping) or not _text(entry.get("name")):
                raise DeclaredError(f"{source}: every entry of `nodes` needs a name")
            items.append((str(entry["name"]), entry))
    else:
        raise DeclaredError(f"{source}: `nodes` must be a mapping of name to {{zone, role, site}}")
    nodes: dict[str, dict[str, Any]] = {}
    for name, attrs in items:
        attrs = attrs or {}
        if not isinstance(attrs, Mapping):
            raise DeclaredError(f"{source}: node {name} must be a mapping (zone, role, site)")
        nodes[name] = {k: v for k, v in attrs.items() if k in _NODE_KEYS and k != "name" and v is not None}
    return nodes


def inventory_links(inventory: Path | None) -> DeclaredTopology | None:
    """The inventory folder's links.yaml, or None when it has none."""
    if inventory is None:
        return None
    path = inventory / LINKS_FILE
    if not path.is_file():
        return None
    return load_declared(path)


def network_attachments(inventory: Path | None) -> dict[str, object]:
    """What a scan hands the topology checks: the inventory's links.yaml, or why it cannot be read.

    A broken links.yaml does not stop the scan: the topology checks report it as an error.
    """
    try:
        declared = inventory_links(inventory)
    except DeclaredError as exc:
        return {ATTACHMENT_ERROR: str(exc)}
    return {ATTACHMENT: declared} if declared is not None else {}
