"""A key-value store over HTTP: PUT /<key> stores the body, GET /<key> returns it."""

import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DATA: dict[str, bytes] = {}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        value = DATA.get(self.path)
        self.send_response(404 if value is None else 200)
        self.end_headers()
        self.wfile.write(value or b"")

    def do_PUT(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        DATA[self.path] = self.rfile.read(min(length, 1 << 20))
        self.send_response(204)
        self.end_headers()


ThreadingHTTPServer(("0.0.0.0", int(sys.argv[1])), Handler).serve_forever()
