"""The workers' pages: no sign-in. A successful look-up is remembered in a signed cookie that
names the worker's claims (never in the address), for PORTAL_SESSION_MINUTES without use."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agreements import services as agreements
from agreements import views as agreement_pages
from agreements.models import Signature
from casework import evidence as evidence_files
from casework.models import Claim
from casework.pages import add_service_errors
from documents import services as documents
from documents.models import DeliveryConsent, Document
from lib.limits import client_address, posted_bytes

from . import limits, services
from .forms import FilingForm, LookupForm

COOKIE = "portal"
_SALT = "portal.claims"


def _max_age():
    return settings.CASEWORK["PORTAL_SESSION_MINUTES"] * 60


def _remember(response, claim_ids):
    response.set_signed_cookie(
        COOKIE,
        signing.dumps(sorted(claim_ids)),
        salt=_SALT,
        max_age=_max_age(),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _remembered(request):
    value = request.get_signed_cookie(COOKIE, default=None, salt=_SALT, max_age=_max_age())
    try:
        return signing.loads(value) if value else []
    except signing.BadSignature:
        return []


def home(request):
    return render(request, "portal/home.html")


def _too_many(request, form, number):
    """The refusal when the address or the case number used up its tries; None if not."""
    address = client_address(request)
    over_address = limits.count("lookup", address) > settings.CASEWORK["PORTAL_LOOKUPS_PER_ADDRESS"]
    over_number = (
        limits.used("wrong", services.normalize(number))
        >= settings.CASEWORK["PORTAL_FAILURES_PER_CASE"]
    )
    if not (over_address or over_number):
        return None
    form.add_error(
        None,
        _("Too many tries. Try again in %(minutes)d minutes, or call the union.")
        % {"minutes": limits.minutes_left()},
    )
    return render(request, "portal/lookup.html", {"form": form}, status=429)


@never_cache
def lookup(request):
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"]
        refused = _too_many(request, form, number)
        if refused is not None:
            return refused
        claims = services.look_up(number, form.cleaned_data["key"])
        if claims:
            return _remember(redirect("portal:case"), [c.pk for c in claims])
        limits.count("wrong", services.normalize(number))
        # The same words whether the number exists or not.
        form.add_error(
            None,
            _(
                "No case matches this number with this phone number or query code. Check both "
                "against your notice."
            ),
        )
        return render(request, "portal/lookup.html", {"form": form}, status=400)
    return render(request, "portal/lookup.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
def case(request):
    view = services.case_view(_remembered(request))
    if view is None:
        return redirect("portal:lookup")
    served = [
        {
            "claim": line["claim"],
            "documents": documents.documents_for(line["claim"]),
            "consented": documents.has_consent(line["claim"]),
            "signing": agreements.worker_signing(line["claim"]),
        }
        for line in view.claims
    ]
    context = {
        "view": view,
        "served": served,
        "code_minutes": settings.CASEWORK["SIGNING_CODE_MINUTES"],
    }
    response = render(request, "portal/case.html", context)
    return _remember(response, [line["claim"].pk for line in view.claims])


def _remembered_claim(request, pk):
    """One of the looked-up worker's claims; a 404 for any other (as for a missing one)."""
    if pk not in _remembered(request):
        raise Http404
    return get_object_or_404(Claim.objects.select_related("petition"), pk=pk)


@require_POST
def consent(request):
    claim = _remembered_claim(request, _posted_int(request, "claim"))
    if request.POST.get("give") == "1":
        documents.give_consent(claim, channel=DeliveryConsent.Channel.PORTAL)
    else:
        documents.withdraw_consent(claim)
    return redirect("portal:case")


@never_cache
def document(request, claim_pk, pk):
    claim = _remembered_claim(request, claim_pk)
    try:
        data = documents.open_document(claim, Document(pk=pk))
    except Document.DoesNotExist:
        raise Http404 from None
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{claim.petition.number}-{pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def sign(request, claim_pk):
    """The worker signs their agreement on their own phone, with the code from the case page."""
    claim = _remembered_claim(request, claim_pk)
    signer = agreements.signer_of(claim)
    if signer is None:
        raise Http404
    response = agreement_pages.signing_page(
        request,
        signer,
        template="agreements/portal_sign.html",
        device=Signature.Device.OWN_PHONE,
    )
    return response or redirect(reverse("portal:case") + "#signing")


def _posted_int(request, name):
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else None


@require_POST
def forget(request):
    response = redirect("portal:home")
    response.delete_cookie(COOKIE, samesite="Lax")
    return response


@never_cache
def file(request):
    if request.method == "POST":
        if posted_bytes(request) > evidence_files.max_request_bytes():
            return render(request, "portal/too_large.html", status=413)
    form = FilingForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return render(request, "portal/file.html", {"form": form})
    if "find" in request.POST:
        # A search for the employer, not the filing yet: only refused files are said so now.
        form.is_valid()
        for name in list(form.errors):
            if name not in form.evidence_field_names():
                del form.errors[name]
        return render(request, "portal/file.html", {"form": form})
    address = client_address(request)
    if limits.used("filing", address) >= settings.CASEWORK["PORTAL_FILINGS_PER_ADDRESS"]:
        form.is_valid()
        form.add_error(
            None,
            _("Too many filings from this connection. Try again in %(minutes)d minutes.")
            % {"minutes": limits.minutes_left()},
        )
        return render(request, "portal/file.html", {"form": form}, status=429)
    if form.is_valid():
        try:
            filed = services.file_petition(
                filer=form.filer_row(),
                coworkers=form.coworkers,
                employer=form.employer_details(),
                description=form.petition_description(),
                kept_evidence=form.evidence,
                consent=form.cleaned_data["electronic_delivery"],
            )
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            limits.count("filing", address)
            response = render(request, "portal/filed.html", {"filed": filed})
            if filed.petition is not None:
                _remember(response, [filed.claim.pk])
            return response
    return render(request, "portal/file.html", {"form": form}, status=400)
