"""An agreement reached and issued (its 调解协议书 sealed as the timer loop does), the signing
opened on it, drawings as a signature pad sends them, and every party signing."""

import base64
import io
from decimal import Decimal

import pytest
from PIL import Image, ImageDraw

from agreements import services
from agreements.models import Signature, Signer
from casework.models import Petition

from ..clock import clock, fresh_calendar  # noqa: F401 - moving time; each test's calendar
from ..documents.conftest import issue
from ..factories import EnterpriseFactory, agreement_reached, worker_row

REPRESENTATIVE = "Zhao Gang"


def png(size=(300, 120), stroke=True):
    """A drawing as the pad makes it: black strokes on a transparent sheet."""
    sheet = Image.new("RGBA", size, (0, 0, 0, 0))
    if stroke:
        ImageDraw.Draw(sheet).line(
            [(20, 90), (80, 20), (150, 100), (260, 30)], fill="black", width=4
        )
    out = io.BytesIO()
    sheet.save(out, "PNG")
    return out.getvalue()


def data_url(data=None):
    return "data:image/png;base64," + base64.b64encode(data or png()).decode()


def drawing():
    return services.Drawing(png())


@pytest.fixture
def enterprise(org):
    return EnterpriseFactory(name="Hongda Garments", grid_area=org["grid_a1"])


@pytest.fixture
def agreed(clerk, mediator, enterprise):
    """Two workers, an agreement reached, its document issued and sealed."""
    rows = [
        worker_row(name="Li Ming", phone="13900000001", claimed_amount=Decimal("8000.00")),
        worker_row(name="Wang Fang", phone="13900000002", claimed_amount=Decimal("6000.00")),
    ]
    petition = agreement_reached(clerk, mediator, enterprise, rows)
    issue(petition)
    return Petition.objects.get(pk=petition.pk)


@pytest.fixture
def opened(agreed, mediator):
    """(session, {signer role or worker name: code}) with every signer's current code."""
    session, handed = services.open_signing(agreed, actor=mediator, representative=REPRESENTATIVE)
    codes = {signer.role: code for signer, code in handed}
    for claim in agreed.claims.order_by("pk"):
        codes[claim.name] = services.worker_signing(claim).code
    return session, codes


def signer(session, key):
    """The signer by role ("employer", "mediator") or by worker name."""
    signers = session.signers.all()
    if key in Signer.Role.values:
        return signers.get(role=key)
    return signers.get(name=key)


def sign(session, codes, key, device=Signature.Device.STAFF_DEVICE):
    services.sign(signer(session, key), code=codes[key], drawing=drawing(), device=device)


def sign_all(session, codes):
    for key in codes:
        sign(session, codes, key)
    session.refresh_from_db()
    return session


@pytest.fixture
def client(client):
    """A worker's phone, set to English so the tests read the source messages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
