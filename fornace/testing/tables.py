"""Parse the prettytable output of CLIs (murano, fornace) in tests."""

from __future__ import annotations

import json


def parse_table(text: str) -> list[dict[str, str]]:
    """Rows of the first prettytable in ``text`` as dicts keyed by the header."""
    lines = [ln for ln in text.splitlines() if ln.startswith("|")]
    if not lines:
        return []
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = []
    for ln in lines[1:]:
        cells = [c.strip() for c in ln.strip("|").split("|")]
        if len(cells) == len(header):
            rows.append(dict(zip(header, cells, strict=True)))
    return rows


def parse_properties(text: str) -> dict[str, str]:
    """A Property/Value table as a dict; continuation lines are joined with newlines."""
    props: dict[str, str] = {}
    last = None
    for row in parse_table(text):
        key, value = row.get("Property", ""), row.get("Value", "")
        if key:
            props[key] = value
            last = key
        elif last is not None:
            props[last] += "\n" + value
    return props


def parse_json_property(value: str) -> object:
    return json.loads(value)

