"""Guest book: GET / lists the entries, POST / adds the body as one; kept in the store."""

import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONFIG = dict(line.strip().split("=", 1) for line in open("/etc/guestbook.conf") if "=" in line)
STORE = CONFIG["DATABASE"].rstrip("/") + "/guestbook"


def entries() -> str:
    try:
        with urllib.request.urlopen(STORE, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"Guest book (store {CONFIG['DATABASE']})\n{entries()}".encode()
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        text = entries() + self.rfile.read(min(length, 4096)).decode(errors="replace") + "\n"
        request = urllib.request.Request(STORE, data=text.encode(), method="PUT")
        urllib.request.urlopen(request, timeout=5).close()
        self.send_response(204)
        self.end_headers()


ThreadingHTTPServer(("0.0.0.0", 8000), Handler).serve_forever()
