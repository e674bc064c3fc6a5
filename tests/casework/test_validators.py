"""Identifiers in their real formats: resident ID (GB 11643), credit code (GB 32100), phone."""

import pytest
from django.core.exceptions import ValidationError

from casework.validators import (
    mask_id_number,
    validate_credit_code,
    validate_id_number,
    validate_phone,
)


@pytest.mark.parametrize(
    "value",
    [
        "11010519491231002X",  # the standard's own example
        "11010519491231002x",  # lower-case x is accepted and normalized
        "330106199003071236",
        "360102198512120011",
    ],
)
def test_valid_id_numbers(value):
    validate_id_number(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("110105194912310021", "checksum"),  # last digit mistyped
        ("11010519491231002", "format"),  # 17 characters
        ("11010519491231002XX", "format"),
        ("11010519491331002X", "birth_date"),  # month 13
        ("110105194902300020", "birth_date"),  # 30 February
        ("110105208001010012", "birth_date"),  # born in the future
        ("990105194912310023", "region"),  # no province 99
        ("A1010519491231002X", "format"),
    ],
)
def test_invalid_id_numbers(value, code):
    with pytest.raises(ValidationError) as err:
        validate_id_number(value)
    assert err.value.code == code


@pytest.mark.parametrize("value", ["91350100M000100Y43", "91330106MA2GL7XJ0D"])
def test_valid_credit_codes(value):
    validate_credit_code(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("91350100M000100Y44", "checksum"),
        ("91350100M000100Y4", "format"),
        ("91350100M0001O0Y43", "format"),  # the letter O is not used
        ("9135010AM000100Y43", "format"),  # region part must be digits
    ],
)
def test_invalid_credit_codes(value, code):
    with pytest.raises(ValidationError) as err:
        validate_credit_code(value)
    assert err.value.code == code


@pytest.mark.parametrize("value", ["13812345678", "19912345678", "0571-87654321", "01087654321"])
def test_valid_phones(value):
    validate_phone(value)


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "138123456789", "87654321", "abc"])
def test_invalid_phones(value):
    with pytest.raises(ValidationError):
        validate_phone(value)


def test_mask_keeps_four_and_four():
    assert mask_id_number("330106199003071235") == "3301**********1235"
