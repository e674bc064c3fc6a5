"""Where a page sends the user after a form: one check for every `next` the project follows."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_next(request, default):
    """To the form's `next` if it stays on this site (an open redirect otherwise), else to
    `default` (a URL or a URL name)."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)
