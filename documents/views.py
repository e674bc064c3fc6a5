"""Pages of the case documents: the public verification of a PDF, and for staff the download of
a document of a petition they may see, a failed one tried again, consent and paper delivery
recorded (from the Documents card of the case page)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import access
from casework.pages import SERVICE_ERRORS, add_service_errors, petition_for, refusal
from casework.roles import INTAKE_ROLES, has_role_at
from lib import limits

from . import services
from .forms import ConsentForm, PaperDeliveryForm, VerifyForm
from .models import Document


def _over_limit(request):
    """Count this upload against the sender's address; True once over the setting's limit."""
    key = limits.key("documents-verify", limits.client_address(request))
    window = settings.CASEWORK["DOCUMENT_VERIFY_WINDOW_MINUTES"] * 60
    return limits.count(key, window) > settings.CASEWORK["DOCUMENT_VERIFY_PER_ADDRESS"]


def _too_large(request):
    limit = settings.CASEWORK["DOCUMENT_VERIFY_MAX_MB"] * 1024 * 1024
    return limits.posted_bytes(request) > limit + 64 * 1024  # room for the form's own fields


def verify(request):
    """Public: upload a PDF, learn whether it is a sealed original we issued, and which one
    (kind, case number, date: nothing personal)."""
    status, result, alert, form = 200, None, "", VerifyForm()
    if request.method == "POST":
        limit = settings.CASEWORK["DOCUMENT_VERIFY_MAX_MB"]
        if _over_limit(request):
            status, alert = 429, _("Too many files checked from here; try again later.")
        elif _too_large(request):
            status, alert = 400, _("The file is larger than %(limit)s MB.") % {"limit": limit}
        else:
            form = VerifyForm(request.POST, request.FILES)
            if form.is_valid():
                result = services.verify_upload(form.cleaned_data["pdf"])
            else:
                status = 400
    context = {"form": form, "result": result, "alert": alert}
    return render(request, "documents/verify.html", context, status=status)


def _document_for(user, pk):
    """A document of a petition the user may see; a 404 otherwise, as for one that does not
    exist."""
    petitions = access.petitions_visible_to(user)
    return get_object_or_404(
        Document.objects.select_related("petition"), pk=pk, petition__in=petitions
    )


@login_required
def download(request, pk):
    document = _document_for(request.user, pk)
    if document.state != Document.State.READY:
        raise Http404
    name = f"{document.petition.number}-{document.kind}-{document.pk}.pdf"
    with document.file.open("rb") as handle:
        data = handle.read()  # a few hundred kilobytes at most
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _back(petition):
    return redirect(reverse("casework:petition-detail", args=[petition.pk]) + "#documents")


def _refused(request, petition, err, form=None):
    status, message = refusal(err)
    return render(
        request,
        "documents/refused.html",
        {"petition": petition, "message": message, "form": form},
        status=status,
    )


@login_required
@require_POST
def regenerate(request, pk):
    document = _document_for(request.user, pk)
    try:
        services.regenerate(document, actor=request.user)
    except SERVICE_ERRORS as err:
        return _refused(request, document.petition, err)
    messages.success(request, _("The document is being prepared again."))
    return _back(document.petition)


def _front_desk_petition(user, pk):
    """The petition, if the user may see it (else 404) and record its deliveries (else 403)."""
    petition = petition_for(user, pk)
    if not has_role_at(user, petition.org_unit, INTAKE_ROLES):
        raise PermissionDenied
    return petition


def _form_page(request, petition, form):
    return render(
        request, "documents/refused.html", {"petition": petition, "form": form}, status=400
    )


@login_required
@require_POST
def consent(request, pk):
    petition = _front_desk_petition(request.user, pk)
    form = ConsentForm(request.POST, petition=petition)
    if not form.is_valid():
        return _form_page(request, petition, form)
    try:
        services.give_consent(
            form.cleaned_data["claim"], channel=form.cleaned_data["channel"], actor=request.user
        )
    except SERVICE_ERRORS as err:
        return _refused(request, petition, err, form)
    messages.success(request, _("Consent to electronic delivery recorded."))
    return _back(petition)


@login_required
@require_POST
def paper_delivery(request, pk):
    petition = _front_desk_petition(request.user, pk)
    form = PaperDeliveryForm(request.POST, petition=petition)
    if not form.is_valid():
        return _form_page(request, petition, form)
    data = form.cleaned_data
    try:
        services.record_paper_delivery(
            data["document"],
            data["claim"],
            actor=request.user,
            delivered_on=data["delivered_on"],
            how=data["how"],
        )
    except SERVICE_ERRORS as err:
        if hasattr(err, "message_dict"):
            add_service_errors(form, err)
            return _form_page(request, petition, form)
        return _refused(request, petition, err, form)
    messages.success(request, _("Paper delivery recorded."))
    return _back(petition)
