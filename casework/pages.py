"""What every app's pages share: the petition a user may open, and a service's refusal shown
on the form that was posted."""

from django.core.exceptions import ValidationError
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


def run_service(form, call):
    """Call a service with a valid form's data: (HTTP status, alert). A refusal or a conflict
    becomes the alert, bad input goes beside the form's fields; nothing is changed then."""
    if not form.is_valid():
        return 400, None
    try:
        call(form.cleaned_data)
    except TransitionRefused as err:
        return 400, str(err)
    except Conflict as err:
        return 409, str(err)
    except ValidationError as err:
        add_service_errors(form, err)
        return 400, None
    return 200, None
