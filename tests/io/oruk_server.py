"""A local Open Referral UK API (127.0.0.1 only) that serves recorded responses.

``RecordedApi`` answers ``GET <prefix>/<endpoint>?page=N`` from a table of
routes. A route is either a recorded response file served as it is for every
page (as Open Referral UK's own mock API does), or a list of recorded records
served in pages of ``size`` with the page header a real API computes. Every
request is logged, so tests can check which pages were read.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pytest


@dataclass
class Route:
    """What one endpoint answers."""

    file: Path | None = None  # a recorded response, served verbatim
    records: list[Any] | None = None  # recorded records, served in pages
    size: int = 3
    status: int = 200
    body: bytes | None = None  # a raw body instead (e.g. not JSON)
    fail_page: int | None = None  # answer 500 for this page
    stall: bool = False  # wait (up to the server's release) before answering
    redirect: str | None = None  # answer 302 to this address


@dataclass
class RecordedApi:
    """The server's routes and what it was asked."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    url: str = ""

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, bytes]:
        route = self.routes.get(path)
        if route is None:
            return 404, b'{"error": "not found"}'
        page = int(query.get("page", ["1"])[0])
        if route.stall:
            self.release.wait(60)
        if route.redirect is not None:
            return 302, route.redirect.encode()
        if route.fail_page == page:
            return 500, b"Internal Server Error"
        if route.body is not None:
            return route.status, route.body
        if route.file is not None:
            return route.status, route.file.read_bytes()
        records = route.records or []
        pages = max(1, -(-len(records) // route.size))
        contents = records[(page - 1) * route.size: page * route.size]
        return route.status, json.dumps({
            "total_items": len(records), "total_pages": pages, "page_number": page, "size": len(contents),
            "first_page": page == 1, "last_page": page >= pages, "empty": not contents, "contents": contents,
        }).encode()


def serve(api: RecordedApi, prefix: str = "/api"):
    """Start the server in a thread; returns a stop function. ``api.url`` is set to its base address."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            parts = urllib.parse.urlsplit(self.path)
            api.requests.append(self.path)
            path = parts.path[len(prefix):] if parts.path.startswith(prefix) else "?"
            status, body = api.answer(path, urllib.parse.parse_qs(parts.query))
            self.send_response(status)
            if status == 302:
                self.send_header("Location", body.decode())
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (the timeout test)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.url = f"http://127.0.0.1:{server.server_address[1]}{prefix}"

    def stop() -> None:
        api.release.set()
        server.shutdown()
        server.server_close()
        thread.join(30)

    return stop


@pytest.fixture
def api() -> Iterator[RecordedApi]:
    """A recorded Open Referral UK API on a free local port; its routes are set by each test."""
    recorded = RecordedApi()
    stop = serve(recorded)
    yield recorded
    stop()
