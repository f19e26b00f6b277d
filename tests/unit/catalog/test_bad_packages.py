"""Every case of the bad-package corpus is refused with its own message and file."""

from __future__ import annotations

import pytest
from bad_cases import EXPECTED
from catalog_data import load_bad_corpus_builder

from fornace.catalog import PackageError, load_package
from fornace.errors import InvalidInput

BUILDER = load_bad_corpus_builder()
CASES = sorted(set(BUILDER.folder_cases()) | set(BUILDER.HOSTILE))


def test_every_case_has_an_expectation_and_the_corpus_is_large() -> None:
    assert sorted(EXPECTED) == CASES
    assert len(CASES) >= 30
    assert len(BUILDER.HOSTILE) >= 15


@pytest.fixture(scope="module")
def archives() -> dict[str, bytes]:
    return BUILDER.bad_archives()


@pytest.mark.parametrize("case", CASES)
def test_bad_package_is_refused(case: str, archives: dict[str, bytes]) -> None:
    fragment, file = EXPECTED[case]
    with pytest.raises(PackageError) as caught:
        load_package(archives[case])
    error = caught.value
    assert isinstance(error, InvalidInput)
    assert error.file == file
    assert fragment in error.message
    if file is not None:
        assert error.message.startswith(f"{file}: ")
    assert error.hint, "every refusal tells how to fix it"
