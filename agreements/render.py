"""The signed agreement and the application for judicial confirmation as PDF bytes (not yet
sealed), laid out as the case documents are (`documents.render`: its lines, styles and font).

The signed agreement is the issued agreement's text with its signature blocks filled: each
signer's drawn signature and signing time, then the record of the electronic signing. The
application packet is one PDF: the application form (agreements/templates/agreements/pdf/),
the signed agreement, and the list of the parties' identity documents, ID numbers masked.
"""

import io
from html import escape

from django.utils import timezone, translation
from PIL import Image as PILImage
from reportlab.lib.units import mm
from reportlab.platypus import Image, PageBreak, Paragraph, Table

from casework.models import OrgUnit
from documents import render as documents
from lib import validators
from lib.money import format_yuan

SIGNATURES = "## 签名"
ROLE_NAMES = {"worker": "劳动者", "employer": "甲方代表", "mediator": "调解员"}


def moment(value):
    local = timezone.localtime(value)
    return f"{documents.chinese_date(local)} {local:%H:%M}"


def on_white(png):
    """The drawing on white, as an RGB image: a transparent PNG prints black in some viewers."""
    with PILImage.open(io.BytesIO(png)) as drawn:
        drawn = drawn.convert("RGBA")
        sheet = PILImage.new("RGB", drawn.size, "white")
        sheet.paste(drawn, mask=drawn.getchannel("A"))
    return sheet


def _signature_image(signature, height=14 * mm, most_width=48 * mm):
    with signature.image.open("rb") as handle:
        sheet = on_white(handle.read())
    picture = io.BytesIO()
    sheet.save(picture, "PNG")
    picture.seek(0)
    w, h = sheet.size
    scale = min(height / h, most_width / w)
    return Image(picture, width=w * scale, height=h * scale)


def _signature_story(session, name, styles, width):
    cell = styles["cell"]
    rows = [[Paragraph(text, cell) for text in ("当事人", "姓名", "签名", "签署时间")]]
    signers = list(session.signers.select_related("signature").order_by("pk"))
    enterprise = session.petition.enterprise.name
    for signer in signers:
        role = ROLE_NAMES[signer.role]
        if signer.role == "employer":
            role = f"{role}（{enterprise}）"
        signature = signer.signature
        rows.append(
            [
                Paragraph(escape(role), cell),
                Paragraph(escape(signer.name), cell),
                _signature_image(signature),
                Paragraph(moment(signature.signed_at), cell),
            ]
        )
    table = Table(rows, colWidths=[width * f for f in (0.28, 0.2, 0.32, 0.2)], repeatRows=1)
    table.setStyle(documents.table_style(name))
    record = [
        "## 电子签名记录",
        f"各方签署的调解协议书文件 SHA-256：{session.document_sha256}",
    ]
    for signer in signers:
        signature = signer.signature
        record.append(
            f"{signer.name}（{ROLE_NAMES[signer.role]}）于{moment(signature.signed_at)}签署，"
            f"一次性验证码核验通过（验证码签发于{moment(signature.code_issued_at)}，"
            f"此前错误 {signature.code_failures} 次），签名图像 SHA-256：{signature.image_sha256}。"
        )
    record.append(f"本协议自{documents.chinese_date(session.closed_at)}各方签署完毕之日起生效。")
    return [table, *documents.flow(record, name, styles, width)]


def _agreement_story(session, name, styles, width):
    lines = documents.text(session.document)
    if SIGNATURES in lines:
        cut = lines.index(SIGNATURES)
        body = lines[:cut]
        # After the blank signature tables: the issuer and the date, set right.
        tail = [line for line in lines[cut:] if line.startswith("> ")]
    else:
        body, tail = lines, []
    story = documents.flow(body, name, styles, width)
    story += documents.flow([SIGNATURES], name, styles, width)
    story += _signature_story(session, name, styles, width)
    return story + documents.flow(tail, name, styles, width)


def _build(story_of, *, title, petition):
    """The PDF of the story `story_of(name, styles, width)`, with the documents' footer."""
    federation = OrgUnit.objects.get(pk=petition.org_unit.ancestor_ids()[0]).name
    return documents.build(story_of, title=title, federation=federation, number=petition.number)


def signed_agreement_pdf(session):
    """The agreement with every signature and signing time. Raises lib.pdf.FontMissing."""
    return _build(
        lambda name, styles, width: _agreement_story(session, name, styles, width),
        title="调解协议书",
        petition=session.petition,
    )


def _application_context(confirmation):
    session = confirmation.session
    petition = session.petition
    agreement = session.agreement
    lines = agreement.lines.select_related("claim__worker").order_by("claim_id")
    signers = list(session.signers.order_by("pk"))
    return {
        "number": petition.number,
        "court": confirmation.court,
        "petition": petition,
        "enterprise": petition.enterprise,
        "issuer": petition.zone.name,
        "representative": next(s.name for s in signers if s.role == "employer"),
        "mediator": next(s.name for s in signers if s.role == "mediator"),
        "workers": [
            {
                "name": line.claim.name,
                "id_number": validators.mask_id_number(line.claim.worker.id_number),
                "agreed": format_yuan(line.amount),
            }
            for line in lines
        ],
        "agreed_total": format_yuan(sum(line.amount for line in lines)),
        "due_on": documents.chinese_date(agreement.due_date),
        "terms": agreement.terms,
        "effective_on": documents.chinese_date(session.closed_at),
        "signed_sha256": session.signed_document.sha256,
        "prepared_on": documents.chinese_date(confirmation.prepared_at),
    }


def _application_lines(confirmation, template):
    with translation.override("zh-hans"):
        context = _application_context(confirmation)
        return documents.template_lines(f"agreements/pdf/{template}.txt", context)


def application_pdf(confirmation):
    """The application packet: form, signed agreement, identity documents list."""
    session = confirmation.session

    def story(name, styles, width):
        form = _application_lines(confirmation, "application")
        ids = _application_lines(confirmation, "identities")
        return [
            *documents.flow(form, name, styles, width),
            PageBreak(),
            *_agreement_story(session, name, styles, width),
            PageBreak(),
            *documents.flow(ids, name, styles, width),
        ]

    return _build(story, title="司法确认申请书", petition=session.petition)
