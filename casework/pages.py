"""What every app's pages share: the petition a user may open, and how a service's refusal is
shown (`refusal` gives its status and message, `add_service_errors` puts bad input beside the
form's fields, `run_service` does both for a posted form)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404

from . import access
from .exceptions import Conflict, TransitionRefused


def petition_for(user, pk):
    """The petition if it lies in the user's subtree; a 404 otherwise (its existence is private)."""
    petitions = access.petitions_visible_to(user).select_related(
        "enterprise", "org_unit", "zone", "created_by"
    )
    return get_object_or_404(petitions, pk=pk)


def add_service_errors(form, err):
    """Put a service's ValidationError beside the matching fields, the rest above the form."""
    items = err.message_dict.items() if hasattr(err, "error_dict") else [(None, err.messages)]
    for field, field_messages in items:
        for message in filter(None, field_messages):
            form.add_error(field if field in form.fields else None, message)


# What a page shows for each refusal a service may raise.
SERVICE_ERRORS = (Conflict, TransitionRefused, PermissionDenied, ValidationError)


def refusal(err):
    """One of SERVICE_ERRORS as (HTTP status, the message above the page): 409 when someone else
    changed the record, 403 when the user may not, 400 for a refused step or bad input."""
    if isinstance(err, Conflict):
        return 409, str(err)
    if isinstance(err, PermissionDenied):
        return 403, str(err)
    if isinstance(err, ValidationError):
        return 400, "; ".join(err.messages)
    return 400, str(err)


def run_service(form, call):
    """Call a service with a valid form's data: (HTTP status, alert). A refused step or a
    conflict becomes the alert, bad input goes beside the form's fields; nothing is changed then.
    PermissionDenied is left to Django's 403 page."""
    if not form.is_valid():
        return 400, None
    try:
        call(form.cleaned_data)
    except ValidationError as err:
        add_service_errors(form, err)
        return 400, None
    except (Conflict, TransitionRefused) as err:
        return refusal(err)
    return 200, None
