"""The privacy guard: Swedish personal identity numbers with a valid check digit are refused."""

import pytest
from django.core.exceptions import ValidationError

from pitebra.validators import find_personal_identity_numbers, validate_no_personal_identity_number


@pytest.mark.parametrize(
    "text",
    [
        "811218-9876",
        "Gärningsperson 811218-9876 sågs i centrum",
        "811218+9876",  # over 100 years old
        "198112189876",
        "19811218-9876",
        "121212-1212",
        "201212121212",
        "811278-9873",  # co-ordination number: day + 60
    ],
)
def test_personal_numbers_with_a_valid_check_digit_are_found(text):
    assert find_personal_identity_numbers(text)
    with pytest.raises(ValidationError) as error:
        validate_no_personal_identity_number(text)
    assert error.value.code == "personal_identity_number"
    assert "personnummer" in error.value.messages[0]


@pytest.mark.parametrize(
    "text",
    [
        "811218-9877",  # wrong check digit
        "811318-9876",  # month 13
        "8112189876",  # ten digits without separator: could be anything (phone, order number)
        "Anmälda brott 2024: 8 120 per 100 000 invånare",
        "Diarienummer 2024-1234",
        "Telefon 0911-69 60 00",
        "1198112189876",  # part of a longer number
        "",
    ],
)
def test_other_numbers_are_allowed(text):
    assert find_personal_identity_numbers(text) == []
    validate_no_personal_identity_number(text)
