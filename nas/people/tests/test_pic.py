"""The Finnish personal identity code: format and check character."""

from __future__ import annotations

import pytest

from nas.people.pic import is_valid_personal_identity_code


@pytest.mark.parametrize(
    "code",
    [
        "131052-308T",  # the example of the Digital and Population Data Services Agency
        "010101+123N",  # born in the 1800s
        "311299-999E",  # a temporary number (900-999), 1900s
        "010100A123D",  # born in the 2000s
        "290200A002C",
        "010120Y0120",  # the new century markers of 2023 (Y for the 1900s)
    ],
)
def test_it_accepts_a_code_with_the_right_check_character(code):
    assert is_valid_personal_identity_code(code)


def test_it_accepts_a_lower_case_check_character():
    assert is_valid_personal_identity_code("131052-308t")


@pytest.mark.parametrize(
    "code",
    [
        "131052-308U",  # wrong check character
        "131052-309T",  # individual number does not match the check character
        "131052G308T",  # not a century marker
        "131052308T",  # no century marker
        "131052-308TT",
        "13105-308T",
        "",
        "abcdef-ghij",
        "310252-308T",  # 31 February is no date
        "131052-000H",  # individual numbers 000 and 001 are not issued
    ],
)
def test_it_refuses_a_code_with_a_wrong_format_or_check_character(code):
    assert not is_valid_personal_identity_code(code)
