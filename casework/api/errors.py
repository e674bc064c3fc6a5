"""One JSON shape for every error the API returns, whatever raised it:

    {"error": {"code": "invalid", "message": "...",
               "fields": {"description": ["This field is required."],
                          "workers": ["", "id_number: The check digit ..."]}}}

`fields` appears only for invalid input; a list of rows (the workers) has one message per row up
to the last faulty one, "" for a row without fault. Views and services just raise;
`exception_handler` does the rest.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from casework import exceptions as domain

_GENERAL_KEYS = {NON_FIELD_ERRORS, api_settings.NON_FIELD_ERRORS_KEY}


class TransitionRefused(exceptions.APIException):
    status_code = 400
    default_code = "transition_refused"
    default_detail = _("This step is not possible now.")


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"
    default_detail = _("The petition was changed by someone else; reload it.")


class InsufficientFunds(Conflict):
    default_code = "insufficient_funds"


class RepeatPetition(exceptions.APIException):
    """Answered with the open case's id and number, so the clerk can link the new facts to it."""

    status_code = 409
    default_code = "repeat_petition"

    def __init__(self, petition, detail):
        super().__init__(detail)
        self.extra = {"petition": {"id": petition.pk, "number": petition.number}}


class SigninLockedOut(exceptions.Throttled):
    default_code = "locked_out"
    default_detail = _("Too many failed sign-ins for this user name: try again later.")


class IdempotencyKeyReused(exceptions.APIException):
    status_code = 422
    default_code = "idempotency_key_reused"
    default_detail = _(
        "This Idempotency-Key was already used for a different request; use a new key."
    )


def as_api_exception(exc):
    """Django's and the services' exceptions as their DRF counterparts; others unchanged."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return exceptions.ValidationError(detail)
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, Http404):
        # Never the model's name or the query: a case outside the user's subtree "does not exist".
        return exceptions.NotFound()
    if isinstance(exc, domain.RepeatPetition):
        return RepeatPetition(exc.petition, str(exc))
    if isinstance(exc, domain.TransitionRefused):
        return TransitionRefused(str(exc))
    if isinstance(exc, domain.InsufficientFunds):
        return InsufficientFunds(str(exc))
    if isinstance(exc, domain.Conflict):
        return Conflict(str(exc))
    return exc


def exception_handler(exc, context):
    exc = as_api_exception(exc)
    # DRF's handler sets the status, WWW-Authenticate / Retry-After and rolls back atomic requests.
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = {"error": error_body(exc)}
    return response


def error_body(exc):
    if isinstance(exc, exceptions.ValidationError):
        return _validation_body(exc.detail)
    codes = exc.get_codes()
    return {
        "code": codes if isinstance(codes, str) else exc.default_code,
        "message": str(exc.detail),
        **getattr(exc, "extra", {}),
    }


def _validation_body(detail):
    if not isinstance(detail, dict):
        return {"code": "invalid", "message": " ".join(_messages(detail)), "fields": {}}
    general = [m for key in _GENERAL_KEYS & detail.keys() for m in _messages(detail[key])]
    fields = {key: _messages(value) for key, value in detail.items() if key not in _GENERAL_KEYS}
    message = " ".join(general) or str(_("Some fields are not valid; see “fields”."))
    return {"code": "invalid", "message": message, "fields": fields}


def _messages(value):
    """A field's errors as a list of strings; for a list of rows, one string per row."""
    if isinstance(value, dict) and value and all(isinstance(key, int) for key in value):
        # DRF's list errors: {row index: errors} for the faulty rows only.
        value = [value.get(index, {}) for index in range(max(value) + 1)]
    if isinstance(value, dict):
        return [_row_message(value)]
    if not isinstance(value, list):
        return [str(value)]
    if any(isinstance(item, dict) for item in value):
        value = [_row_message(item) for item in value]
    return _without_trailing_blanks([str(item) for item in value])


def _without_trailing_blanks(rows):
    """A list of rows ends at its last faulty row, whichever layer found the faults."""
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _row_message(errors):
    """A row's errors in the services' own format: "field: message; field: message"."""
    return "; ".join(
        message if field in _GENERAL_KEYS else f"{field}: {message}"
        for field, value in errors.items()
        for message in _messages(value)
    )
