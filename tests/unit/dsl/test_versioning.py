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
