"""ISBN checks: the check digit decides, not the look of the number."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s-]+")


def compact_isbn(value):
    """``978-92-9068-742-9`` → ``9789290687429``; ISBN-10 keeps a final ``X``."""
    return _SEPARATORS.sub("", value or "").upper().removeprefix("ISBN")


def isbn10_is_valid(digits):
    if not re.fullmatch(r"\d{9}[\dX]", digits):
        return False
    values = [10 if char == "X" else int(char) for char in digits]
    return sum((10 - index) * value for index, value in enumerate(values)) % 11 == 0


def isbn13_is_valid(digits):
    if not re.fullmatch(r"97[89]\d{10}", digits):
        return False
    total = sum(int(char) * (1 if index % 2 == 0 else 3) for index, char in enumerate(digits))
    return total % 10 == 0


def validate_isbn(value):
    digits = compact_isbn(value)
    if not (isbn10_is_valid(digits) or isbn13_is_valid(digits)):
        raise ValidationError(
            _("This is not a valid ISBN. Copy the 10 or 13 digits from the publication's imprint page."),
            code="invalid_isbn",
        )


# ISSN and DOI: python-stdnum checks the ISSN's check digit; a DOI has no check digit, so its form decides.

DOI_PATTERN = re.compile(r"10\.\d{4,9}/\S+")
_DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def compact_doi(value):
    """``https://doi.org/10.1000/xyz`` or ``doi:10.1000/xyz`` → ``10.1000/xyz`` (what citations carry)."""
    return _DOI_PREFIXES.sub("", (value or "").strip())


def validate_doi(value):
    if not DOI_PATTERN.fullmatch(compact_doi(value)):
        raise ValidationError(
            _("This is not a DOI. A DOI starts with 10., then a slash and the item's code: 10.18356/9789210029957."),
            code="invalid_doi",
        )


def compact_issn(value):
    from stdnum import issn

    return issn.compact(value or "")


def validate_issn(value):
    from stdnum import issn

    if not issn.is_valid(value or ""):
        raise ValidationError(
            _("This is not a valid ISSN: eight digits, the last one a check digit (or X), e.g. 1561-5502."),
            code="invalid_issn",
        )
