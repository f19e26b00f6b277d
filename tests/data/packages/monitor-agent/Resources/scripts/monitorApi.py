"""Tiny client of the sample monitoring server's HTTP API."""
import json
import urllib.request


def post(server, path, payload):
    request = urllib.request.Request(
        f"http://{server}/api/{path}", data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)
