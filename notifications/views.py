"""The inbox page and marking notifications read. A fetch() asking for JSON gets the unread
count back instead of a redirect, so a page can update its bell without reloading."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.redirects import redirect_next

from . import services
from .models import Notification

PAGE_SIZE = 50


@login_required
def inbox(request):
    mine = Notification.objects.filter(recipient=request.user)
    show_unread = request.GET.get("show") == "unread"
    rows = (mine.unread() if show_unread else mine).select_related("petition")
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "show_unread": show_unread,
            "unread": mine.unread().count(),
            "nav": "inbox",
        },
    )


def _answer(request, remaining, default, message=None):
    if request.accepts("application/json") and not request.accepts("text/html"):
        return JsonResponse({"unread": remaining})
    if message:
        messages.success(request, message)
    return redirect_next(request, default)


@login_required
@require_POST
def mark_read(request, pk):
    """Mark one read; with `next` (the notification's link) this is also how it is opened."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    remaining = services.mark_read(request.user, [notification.pk])
    return _answer(request, remaining, "notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    remaining = services.mark_read(request.user)
    return _answer(
        request, remaining, "notifications:inbox", _("All notifications are marked read.")
    )
