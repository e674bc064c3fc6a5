"""Validators for PRC identifiers: resident ID numbers, social credit codes and phone numbers."""

import datetime
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# GB 11643-1999: 17 digits weighted, the sum mod 11 indexes the check character.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^[0-9]{17}[0-9X]$")
# Province-level codes of GB/T 2260 (the first two digits of an ID number).
_PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82",
}  # fmt: skip

# GB 32100-2015: 31 characters (no I, O, Z, S, V); 17 weighted, check = 31 - sum mod 31.
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")

# Fifteen digits in a row: a whole ID number (the old 15-digit kind or most of the new one).
_WHOLE_ID_RE = re.compile(r"\d{15}")

# Mainland mobile numbers, or a landline with its area code (0571-87654321).
_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def id_number_check_char(first17):
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def credit_code_check_char(first17):
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def normalize_code(value):
    """An ID number or credit code as stored: NFKC folds full-width digits and letters (Chinese
    input methods) to ASCII; other scripts' digits stay and fail the ASCII-only patterns, so
    one person or enterprise has one spelling."""
    return unicodedata.normalize("NFKC", value or "").strip().upper()


def validate_id_number(value):
    value = normalize_code(value)
    if not _ID_RE.match(value):
        raise ValidationError(
            _("A resident ID number has 17 digits and a final digit or X."), code="format"
        )
    if value[:2] not in _PROVINCES:
        raise ValidationError(_("The region code of this ID number does not exist."), code="region")
    try:
        birth = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date in this ID number is not a real date."), code="birth_date"
        ) from None
    if birth.year < 1900 or birth > datetime.date.today():
        raise ValidationError(
            _("The birth date in this ID number is out of range."), code="birth_date"
        )
    if id_number_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("The check digit of this ID number is wrong; please re-check it."), code="checksum"
        )


def refuse_whole_id_number(value):
    """For searches sent in the address: a whole ID number there would land in access logs."""
    if _WHOLE_ID_RE.search(value or ""):
        raise ValidationError(
            _(
                "ID numbers are not searched here, so that they stay out of addresses and logs: "
                "use the ID number search."
            ),
            code="id_number",
        )


def validate_credit_code(value):
    value = normalize_code(value)
    if not _CREDIT_RE.match(value):
        raise ValidationError(
            _("A unified social credit code has 18 characters (digits and letters, no I/O/S/V/Z)."),
            code="format",
        )
    if credit_code_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("The check character of this credit code is wrong; please re-check it."),
            code="checksum",
        )


def validate_phone(value):
    if not _PHONE_RE.match((value or "").strip()):
        raise ValidationError(
            _("Enter an 11-digit mobile number or a landline with its area code."), code="format"
        )


def mask_id_number(value):
    """3301**********1234: enough to tell two people apart, not enough to identify one."""
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value):
    """139****5678: the prefix (a landline's area code) and the last four digits."""
    if not value:
        return ""
    head = value.split("-")[0] if "-" in value else value[:3]
    return head + "****" + value[-4:]


def complete_id_number(first17):
    """The full ID number for 17 given digits (for demo data and tests)."""
    return first17 + id_number_check_char(first17)


def complete_credit_code(first17):
    """The full credit code for 17 given characters (for demo data and tests)."""
    return first17 + credit_code_check_char(first17)


# A clerk's computer whose clock runs a few minutes fast is not recording the future.
CLOCK_SKEW = datetime.timedelta(minutes=5)


class HappenedValidator:
    """A moment recorded as past (a petition received, a session held): not ahead of the clock,
    and not before CASEWORK["EARLIEST_YEAR"] (a typing error; no calendar knows such years)."""

    def __init__(self, future_message):
        self.future_message = future_message

    def __call__(self, value):
        if value > timezone.now() + CLOCK_SKEW:
            raise ValidationError(self.future_message, code="future")
        earliest = settings.CASEWORK["EARLIEST_YEAR"]
        if timezone.localtime(value).year < earliest:
            raise ValidationError(
                _("Before %(year)d: please check the year."),
                code="too_early",
                params={"year": earliest},
            )


validate_received_at = HappenedValidator(_("The received time is in the future."))
validate_held_at = HappenedValidator(_("A session cannot be held in the future."))
