import pytest
from django.core.exceptions import ValidationError

from pitebra.validators import find_personal_identity_numbers, validate_no_personal_identity_number


@pytest.mark.parametrize(
    "text",
    [
        "Anmälan gäller 811218-9876 i centrum",
        "pnr 198112189876",
        "19811218-9876",
        "över hundra: 811218+9876",
        "samordningsnummer 701063-2391",
    ],
)
def test_valid_personal_numbers_are_refused(text):
    with pytest.raises(ValidationError) as error:
        validate_no_personal_identity_number(text)
    assert error.value.code == "personal_identity_number"


@pytest.mark.parametrize(
    "text",
    [
        "811218-9875",  # wrong check digit
        "Ärende 2024-1234 i Öjebyn",
        "Telefon 0911-696000",
        "Anmälningar per 100 000 invånare: 8 112 189 876",
        "991332-1234",  # no 13th month
        "",
    ],
)
def test_other_numbers_are_allowed(text):
    validate_no_personal_identity_number(text)
    assert find_personal_identity_numbers(text) == []


def test_swedish_sort_order():
    from pitebra.text import swedish_key

    names = ["Öjebyn", "Ärtholmen", "Zinkgruvan", "Åby", "Centrum", "Älvsbyn", "arvidsjaur"]
    assert sorted(names, key=swedish_key) == [
        "arvidsjaur",
        "Centrum",
        "Zinkgruvan",
        "Åby",
        "Älvsbyn",
        "Ärtholmen",
        "Öjebyn",
    ]
