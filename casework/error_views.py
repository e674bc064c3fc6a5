"""The site's error pages: 400, 403, 404, 500 and a refused CSRF check, in the site's layout
and the reader's language, each saying what happened and leading back (config/urls.py and
CSRF_FAILURE_VIEW wire them). viewflow's own 403 page would otherwise be shown, in English."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

TEMPLATE = "casework/error.html"


def _back(request):
    """The page the person came from, when it is one of ours."""
    referer = request.META.get("HTTP_REFERER", "")
    ours = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if referer and ours else ""


def _page(request, status, title, message, *, back=True):
    context = {"title": title, "message": message, "back": _back(request) if back else ""}
    return HttpResponse(loader.render_to_string(TEMPLATE, context, request), status=status)


def bad_request(request, exception):
    # The host may be the very thing refused: nothing here asks for it.
    return _page(
        request,
        400,
        _("Bad request"),
        _("The server could not understand this request. Check the address and try again."),
        back=False,
    )


def permission_denied(request, exception):
    # Our own refusals carry a reason written for the reader; others get a general one.
    reason = str(exception) if isinstance(exception, PermissionDenied) else ""
    return _page(request, 403, _("Not allowed"), reason or _("You may not do this."))


def page_not_found(request, exception):
    return _page(
        request,
        404,
        _("Page not found"),
        _("This page does not exist, or it is not in your part of the organization."),
    )


def server_error(request):
    # Rendered without the request: no database query (for the menu) may fail a second time.
    context = {
        "title": _("Something went wrong"),
        "message": _(
            "The server could not finish this request. Try again in a moment; if it keeps "
            "happening, tell the administrator."
        ),
    }
    return HttpResponse(loader.render_to_string(TEMPLATE, context), status=500)


def csrf_failure(request, reason=""):
    return _page(
        request,
        403,
        _("The form could not be sent"),
        _(
            "The form came from a page that is out of date or was opened in another session. "
            "Go back, reload the page and send it again."
        ),
    )
