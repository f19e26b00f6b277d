"""Version specs read as Murano read them, ordering of dependencies, version selection."""

from __future__ import annotations

import dataclasses

import pytest
import semantic_version
from catalog_data import SAMPLES
from hypothesis import given
from hypothesis import strategies as st

from fornace.catalog import load_folder, matching_versions, parse_version_spec, select_version
from fornace.catalog.resolver import dependency_order

VERSIONS = ["0.0.0", "0.0.3", "1.0.0", "1.2.5", "1.3.0", "2.0.0", "2.5.0"]


@pytest.mark.parametrize(("spec", "normalised", "matches"), [
    ("", ">=0.0.0,<1.0.0-0", ["0.0.0", "0.0.3"]),          # Murano: no spec means "0"
    (None, ">=0.0.0,<1.0.0-0", ["0.0.0", "0.0.3"]),
    ("*", ">=0.0.0", VERSIONS),
    ("1", ">=1.0.0,<2.0.0-0", ["1.0.0", "1.2.5", "1.3.0"]),
    (1, ">=1.0.0,<2.0.0-0", ["1.0.0", "1.2.5", "1.3.0"]),
    ("0.0.3", "==0.0.3", ["0.0.3"]),
    ("=1.0.0", "==1.0.0", ["1.0.0"]),
    ("==1.2", ">=1.2.0,<1.3.0-0", ["1.2.5"]),
    (">=0.0.3", ">=0.0.3", VERSIONS[1:]),
    (">1.0", ">=1.1.0-0", ["1.2.5", "1.3.0", "2.0.0", "2.5.0"]),
    ("<=1", "<2.0.0-0", VERSIONS[:5]),
    ("<1.3", "<1.3.0-0", VERSIONS[:4]),
    (">= 1, < 3", ">=1.0.0,<3.0.0-0", VERSIONS[2:]),
    ("!=1.2.5", "!=1.2.5", ["0.0.0", "0.0.3", "1.0.0", "1.3.0", "2.0.0", "2.5.0"]),
])
def test_specs_are_normalised_like_murano(spec: object, normalised: str,
                                          matches: list[str]) -> None:
    parsed = parse_version_spec(spec)
    assert isinstance(parsed, semantic_version.SimpleSpec)
    assert str(parsed) == normalised
    assert [v for v in VERSIONS if semantic_version.Version(v) in parsed] == matches


@pytest.mark.parametrize("bad", ["latest", ">=x", "1.a", "~1", "^2.0"])
def test_invalid_specs_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="invalid version spec"):
        parse_version_spec(bad)


def test_select_version_picks_the_highest_match() -> None:
    base = load_folder(SAMPLES / "common")
    packages = [dataclasses.replace(base, version=v) for v in ["1.0.0", "1.4.2", "2.0.0",
                                                               "0.9.0", "1.10.0"]]
    assert select_version(packages, "1").version == "1.10.0"
    assert select_version(packages, "==1.4").version == "1.4.2"
    assert select_version(packages, "<1").version == "0.9.0"
    assert select_version(packages, ">=2.0.0").version == "2.0.0"
    assert select_version(packages, "3") is None
    assert [p.version for p in matching_versions(packages, "*")] == [
        "2.0.0", "1.10.0", "1.4.2", "1.0.0", "0.9.0"]


@given(st.dictionaries(st.integers(0, 7), st.lists(st.integers(0, 7), max_size=4),
                       max_size=8))
def test_dependency_order_puts_requirements_first(raw: dict[int, list[int]]) -> None:
    graph = {str(k): [str(v) for v in vs] for k, vs in raw.items()}
    roots = sorted(graph)
    order = dependency_order(graph, roots)
    assert len(order) == len(set(order))

    def reaches(a: str, b: str) -> bool:
        seen, todo = {a}, [a]
        while todo:
            for nxt in graph.get(todo.pop(), []):
                if nxt == b:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    position = {name: i for i, name in enumerate(order)}
    assert set(position) >= set(roots)
    for node, edges in graph.items():
        for dependency in edges:
            if not reaches(dependency, node):  # not in the same cycle
                assert position[dependency] < position[node]
