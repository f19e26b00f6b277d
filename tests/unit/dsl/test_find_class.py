from __future__ import annotations

import pytest

from fornace.dsl.testing import NoClassFound, Object


def test_legacy_extensions_prefix_falls_back_with_warning(make_runner):
    runner = make_runner(Object("cfg.Finder"))
    runner.testFindLegacyName()
    assert any("io.murano.extensions.cfg.Configured" in w and "deprecated" in w
               for w in runner.executor.warnings)


def test_not_found_lists_searched_packages(make_runner):
    runner = make_runner(Object("cfg.Finder"))
    with pytest.raises(NoClassFound) as exc:
        runner.testNotFound()
    assert str(exc.value) == 'Class "cfg.DoesNotExist" is not found in tests/0.0.0, io.murano/0.0.0'
