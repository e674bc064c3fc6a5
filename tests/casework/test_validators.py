"""Identifiers in their real formats: resident ID (GB 11643), credit code (GB 32100), phone."""

import pytest
from django.core.exceptions import ValidationError

from casework.models import Enterprise
from lib.validators import (
    mask_id_number,
    normalize_code,
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


def test_full_width_id_number_is_normalised_to_ascii():
    assert normalize_code("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"
    validate_id_number("１１０１０５１９４９１２３１００２ｘ")


@pytest.mark.parametrize(
    "value",
    [
        "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X",  # Arabic-Indic digits: digits to Python, not to the standard
        "११०१०५१९४९१२३१००२X",  # Devanagari digits
    ],
)
def test_non_ascii_digits_that_stay_non_ascii_are_refused(value):
    with pytest.raises(ValidationError) as err:
        validate_id_number(value)
    assert err.value.code == "format"


def test_full_width_credit_code_is_normalised_and_other_digits_refused():
    assert normalize_code("９１３５０１００ｍ０００１００ｙ４３") == "91350100M000100Y43"
    validate_credit_code("９１３５０１００Ｍ０００１００Ｙ４３")
    with pytest.raises(ValidationError) as err:
        validate_credit_code("٩١350100M000100Y43")
    assert err.value.code == "format"


@pytest.mark.django_db
def test_an_enterprise_keeps_its_full_width_credit_code_in_ascii(org):
    code = "９１３５０１００ｍ０００１００ｙ４３"
    enterprise = Enterprise(name="Full-width Ltd", credit_code=code, grid_area=org["grid_a1"])

    enterprise.full_clean()

    assert enterprise.credit_code == "91350100M000100Y43"
