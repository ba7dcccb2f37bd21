"""A NetBox REST API stand-in on 127.0.0.1: serves the JSON objects of a folder as NetBox pages them.

``GET /api/`` answers with the ``API-Version`` header; ``GET /api/ipam/<endpoint>/`` pages the
objects of ``<endpoint>.json`` by ``limit``/``offset`` (``limit=0`` means the server's page
size, as in NetBox) with ``count``/``next``/``previous``. A request without the expected
``Authorization: Token <token>`` header gets NetBox's 403 answer. Every request is logged,
so a test can see the paging and the headers. The server stops when the context ends.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit


@dataclass
class NetboxStandIn:
    url: str
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)


@contextmanager
def serve_netbox(folder: Path, token: str, page_size: int = 4) -> Iterator[NetboxStandIn]:
    objects = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}
    state = NetboxStandIn(url="")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test reads ``state.requests`` instead."""

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("API-Version", "4.1")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            state.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            if self.headers.get("Authorization") != f"Token {token}":
                self._send(403, {"detail": "Invalid v1 token"})
                return
            parts = urlsplit(self.path)
            segments = [s for s in parts.path.split("/") if s]
            if segments == ["api"]:
                self._send(200, {"ipam": f"{state.url}/api/ipam/"})
                return
            if len(segments) != 3 or segments[:2] != ["api", "ipam"] or segments[2] not in objects:
                self._send(404, {"detail": "Not found."})
                return
            query = parse_qs(parts.query)
            limit = int(query.get("limit", ["0"])[0]) or page_size
            limit = min(limit, page_size)
            offset = int(query.get("offset", ["0"])[0])
            items = objects[segments[2]]
            page = items[offset : offset + limit]
            base = f"{state.url}/api/ipam/{segments[2]}/"
            following = offset + limit
            self._send(
                200,
                {
                    "count": len(items),
                    "next": f"{base}?{urlencode({'limit': limit, 'offset': following})}"
                    if following < len(items)
                    else None,
                    "previous": f"{base}?{urlencode({'limit': limit, 'offset': max(offset - limit, 0)})}"
                    if offset
                    else None,
                    "results": page,
                },
            )

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
