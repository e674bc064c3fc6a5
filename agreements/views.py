"""Staff pages of the signing and the judicial confirmation (the card on the case page links
them), and `signing_page`, the signing form both sides use: here on the mediator's device, and
on the worker's own phone from the portal. Views load, call one service and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from casework import access
from casework.exceptions import Conflict, TransitionRefused
from casework.pages import add_service_errors, petition_for, refusal, run_service

from . import services
from .forms import CancelForm, OpenSigningForm, PrepareForm, RulingForm, SignForm
from .models import JudicialConfirmation, Signature, Signer, SigningSession


def _posted(request):
    return request.POST if request.method == "POST" else None


def _runner_only(user, petition):
    if not services.may_run(user, petition):
        raise PermissionDenied(_("Only the petition's mediator may."))


def _visible(user, queryset, pk, petition_field):
    """The object if its petition is the user's to see; a 404 otherwise, as for a missing one."""
    petitions = access.petitions_visible_to(user)
    return get_object_or_404(queryset.filter(**{f"{petition_field}__in": petitions}), pk=pk)


def _session_for(user, pk):
    """A session the user sees (else 404) and runs (else 403)."""
    session = _visible(user, SigningSession.objects.select_related("petition"), pk, "petition")
    _runner_only(user, session.petition)
    return session


def _back(petition):
    return redirect("casework:petition-detail", pk=petition.pk)


def _codes(request, session, handed):
    """The codes to hand over: shown in this answer only, never again."""
    response = render(
        request,
        "agreements/codes.html",
        {"nav": "list", "petition": session.petition, "session": session, "handed": handed},
    )
    add_never_cache_headers(response)
    return response


@login_required
def open_signing(request, pk):
    petition = petition_for(request.user, pk)
    _runner_only(request.user, petition)
    form = OpenSigningForm(_posted(request))
    status, alert, opened = 200, None, []
    if request.method == "POST":
        status, alert = run_service(
            form,
            lambda data: opened.append(
                services.open_signing(
                    petition, actor=request.user, representative=data["representative"]
                )
            ),
        )
        if opened:
            return _codes(request, *opened[0])
    context = {"nav": "list", "petition": petition, "form": form, "alert": alert}
    return render(request, "agreements/open.html", context, status=status)


@login_required
@require_POST
def reissue(request, pk):
    signer = _visible(
        request.user, Signer.objects.select_related("session__petition"), pk, "session__petition"
    )
    session = signer.session
    _runner_only(request.user, session.petition)
    try:
        code = services.reissue_code(signer, actor=request.user)
    except (TransitionRefused, Conflict) as err:
        return _refused(request, session.petition, err)
    return _codes(request, session, [(signer, code)])


def _refused(request, petition, err):
    status, message = refusal(err)
    context = {"nav": "list", "petition": petition, "alert": message}
    return render(request, "agreements/refused.html", context, status=status)


@login_required
@require_POST
def cancel(request, pk):
    session = _session_for(request.user, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _refused(request, session.petition, ValidationError(form.errors["reason"]))
    try:
        services.cancel_signing(session, actor=request.user, reason=form.cleaned_data["reason"])
    except (ValidationError, Conflict) as err:
        return _refused(request, session.petition, err)
    messages.success(request, _("The signing is cancelled."))
    return _back(session.petition)


def signing_page(request, signer, *, template, device, device_user=None, extra=None):
    """The signing form for one signer: None once the signature is recorded (the caller
    redirects), else the page, with the refusal (400 bad input, 409 closed or signed)."""
    session = signer.session
    form = SignForm(_posted(request))
    status, alert = 200, None
    already = Signature.objects.filter(signer=signer).first()
    if already is not None or not session.is_open:
        alert = (
            _("Signed on %(moment)s.")
            % {"moment": timezone.localtime(already.signed_at).strftime("%Y-%m-%d %H:%M")}
            if already
            else _("The signing of this agreement is closed.")
        )
        status = 409 if request.method == "POST" else 200
        form = None
    elif request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                services.sign(
                    signer,
                    code=form.cleaned_data["code"],
                    drawing=form.cleaned_data["signature"],
                    device=device,
                    device_user=device_user,
                )
                return None
            except ValidationError as err:
                add_service_errors(form, err)
                status = 400
            except Conflict as err:
                status, alert, form = 409, str(err), None
    agreement = session.agreement
    context = {
        "signer": signer,
        "session": session,
        "petition": session.petition,
        "agreement": agreement,
        "line": agreement.lines.filter(claim_id=signer.claim_id).first(),
        "form": form,
        "alert": alert,
        **(extra or {}),
    }
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)
    return response


@login_required
def sign(request, pk):
    """A signer signs on the mediator's device (the code from their phone, or handed over)."""
    signer = _visible(
        request.user,
        Signer.objects.select_related("session__petition", "session__agreement"),
        pk,
        "session__petition",
    )
    _runner_only(request.user, signer.session.petition)
    response = signing_page(
        request,
        signer,
        template="agreements/sign.html",
        device=Signature.Device.STAFF_DEVICE,
        device_user=request.user,
        extra={"nav": "list"},
    )
    if response is not None:
        return response
    messages.success(request, _("%(name)s has signed.") % {"name": signer.name})
    return _back(signer.session.petition)


@login_required
@never_cache
def prepare(request, pk):
    session = _session_for(request.user, pk)
    initial = {"court": c.court} if (c := services.confirmation_of(session)) else None
    form = PrepareForm(_posted(request), initial=initial)
    status, alert = 200, None
    if request.method == "POST":
        status, alert = run_service(
            form,
            lambda data: services.prepare_application(
                session, actor=request.user, court=data["court"]
            ),
        )
        if status == 200:
            messages.success(request, _("The application packet is prepared."))
            return _back(session.petition)
    context = {
        "nav": "list",
        "petition": session.petition,
        "session": session,
        "window": services.window(session),
        "form": form,
        "alert": alert,
    }
    return render(request, "agreements/prepare.html", context, status=status)


@login_required
def ruling(request, pk):
    confirmation = _visible(
        request.user,
        JudicialConfirmation.objects.select_related("petition", "session"),
        pk,
        "petition",
    )
    _runner_only(request.user, confirmation.petition)
    form = RulingForm(_posted(request))
    status, alert = 200, None
    if request.method == "POST":
        status, alert = run_service(
            form,
            lambda data: services.record_ruling(
                confirmation,
                actor=request.user,
                ruling=data["ruling"],
                number=data["number"],
                ruled_on=data["ruled_on"],
                note=data["note"],
            ),
        )
        if status == 200:
            messages.success(request, _("The court's ruling is recorded."))
            return _back(confirmation.petition)
    context = {
        "nav": "list",
        "petition": confirmation.petition,
        "confirmation": confirmation,
        "form": form,
        "alert": alert,
    }
    return render(request, "agreements/ruling.html", context, status=status)
