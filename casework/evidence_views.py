"""Evidence on the staff side: adding files on the case page, and opening one. A file is served
only to someone who may open its petition, from the private folder, with headers that stop a
browser from running anything in it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, evidence
from .pages import petition_for
from .roles import INTAKE_ROLES


@login_required
def evidence_file(request, pk, evidence_id):
    petition = petition_for(request.user, pk)
    item = get_object_or_404(petition.evidence, pk=evidence_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=item.content_type,
        as_attachment=not (item.is_image or item.content_type == "application/pdf"),
        filename=item.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def add_evidence(request, pk):
    from .views import render_case

    petition = petition_for(request.user, pk)
    if not access.has_role_at(request.user, petition.org_unit, INTAKE_ROLES):
        raise PermissionDenied(_("You may not add evidence to this petition."))
    form = evidence.EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_case(request, petition, status=400, evidence_form=form)
    with transaction.atomic():
        added = evidence.attach(
            petition, form.evidence, actor=request.user, note=form.cleaned_data["note"]
        )
    messages.success(request, _("%(count)d evidence files added.") % {"count": len(added)})
    return redirect("casework:petition-detail", pk=petition.pk)
