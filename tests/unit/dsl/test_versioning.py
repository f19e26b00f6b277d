from __future__ import annotations

import pytest

from fornace.dsl.testing import NoClassFound, Object
from fornace.dsl.versions import normalize_spec


@pytest.mark.parametrize(("spec", "expected"), [
    ("", ">=0.0.0,<1.0.0"),
    (None, ">=0.0.0,<1.0.0"),
    ("1.11.111", "==1.11.111"),
    (">3.0.0,<=4.1", ">3.0.0,<4.2.0"),
    (">=2", ">=2.0.0"),
    (">=2.1", ">=2.1.0"),
    ("<=2.1", "<2.2.0"),
    ("==1.2", ">=1.2.0,<1.3.0"),
    ("=1", ">=1.0.0,<2.0.0"),
    ("!=1.2", ">=1.3.0"),
    (" >= 1.0.0 , < 2.0.0 ", ">=1.0.0,<2.0.0"),
])
def test_version_spec_normalisation(spec, expected):
    assert normalize_spec(spec) == expected


def test_class_version_in_model_selects_package(make_runner):
    runner = make_runner(Object("cfg.Configured", class_version="0"))
    assert runner.root.type.name == "cfg.Configured"


def test_class_version_not_satisfied(make_runner):
    with pytest.raises(NoClassFound):
        make_runner(Object("cfg.Configured", class_version="2.0.0"))


VERSIONS = __import__("pathlib").Path(__file__).parent / "versions"


@pytest.fixture
def versioned():
    from fornace.dsl import DirectoryPackageSource, Session, parser_for
    return Session(DirectoryPackageSource([VERSIONS / n for n in ("lib1", "lib2", "app", "oldapp")],
                                          parser_for((1, 4))))


def test_requirements_pick_the_version_side_by_side(versioned):
    app = versioned.new("com.example.App")
    old = versioned.new("com.example.OldApp")
    assert versioned.call(app, "useThing") == 2
    assert versioned.call(old, "useThing") == 1
    loaded = sorted(str(p.version) for p in versioned.executor.packages.values()
                    if p.name == "com.example.Lib")
    assert loaded == ["1.0.0", "2.0.0"]


def test_type_string_with_version_and_package(versioned):
    root = versioned.load({"Objects": {"?": {"type": "com.example.Thing/1.0.0@com.example.Lib",
                                             "id": "t"}}})
    assert versioned.call(root, "generation") == 1
    header = versioned.serialize()["Objects"]["?"]
    assert header["type"] == "com.example.Thing/1.0.0@com.example.Lib"


def test_class_version_header(versioned):
    root = versioned.load({"Objects": {"?": {"type": "com.example.Thing", "classVersion": "<2",
                                             "id": "t"}}})
    assert versioned.call(root, "generation") == 1


def test_cast_with_version_spec(versioned):
    app = versioned.new("com.example.App")
    assert versioned.call(app, "castWithSpec", "0.1") is True
    with pytest.raises(NoClassFound):
        versioned.call(app, "castWithSpec", ">=1")
