"""Corrupted archives and arbitrary manifests never escape as anything but PackageError."""

from __future__ import annotations

import pytest
from catalog_data import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fornace.catalog import PackageError, build_archive, load_package
from fornace.catalog.archive import read_folder

ARCHIVE = build_archive(read_folder(SAMPLES / "mysql"))
HEAT = read_folder(SAMPLES / "heat-web")


def _load_or_refuse(data: bytes) -> None:
    try:
        load_package(data)
    except PackageError as error:
        assert error.message
        assert error.hint, error.message


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(ARCHIVE) - 1), st.integers(0, 255)),
                min_size=1, max_size=8))
def test_corrupted_archive_bytes(flips: list[tuple[int, int]]) -> None:
    data = bytearray(ARCHIVE)
    for position, value in flips:
        data[position] = value
    _load_or_refuse(bytes(data))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(ARCHIVE)))
def test_truncated_archive(length: int) -> None:
    _load_or_refuse(ARCHIVE[:length])


_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=30)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=10), inner, max_size=3)),
    max_leaves=10)
_keys = st.sampled_from(["Format", "FullName", "Type", "Name", "Version", "Description",
                         "Author", "Tags", "Logo", "Supplier", "Classes", "UI", "Require",
                         "Meta"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_keys, _values, max_size=8))
def test_arbitrary_manifest_values(manifest: dict[str, object]) -> None:
    import yaml

    files = {"manifest.yaml": yaml.safe_dump(manifest).encode()}
    _load_or_refuse(build_archive(files))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["parameters", "parameter_groups", "outputs",
                                        "resources"]), _values, max_size=4))
def test_arbitrary_heat_templates(template: dict[str, object]) -> None:
    import yaml

    files = dict(HEAT)
    files["template.yaml"] = yaml.safe_dump(template).encode()
    _load_or_refuse(build_archive(files))


@pytest.mark.parametrize("text", [b"\xff\xfe", b"Format: 1.3\x00\n", b"{a: 1"])
def test_undecodable_or_odd_manifests(text: bytes) -> None:
    with pytest.raises(PackageError) as caught:
        load_package(build_archive({"manifest.yaml": text}))
    assert caught.value.file == "manifest.yaml"
