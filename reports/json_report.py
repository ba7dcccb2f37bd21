"""JSON: the ``netcomply/1`` document (schema in reports/schema/netcomply-1.schema.json)."""

from __future__ import annotations

import json

from reports import RenderOptions, renderer
from scanner.model import ScanResult


@renderer("json", extension="json", description="the netcomply/1 JSON document")
def render_json(result: ScanResult, options: RenderOptions) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
