"""A case document as PDF bytes: its template (documents/templates/documents/pdf/<kind>.txt)
filled from the step that issued it, then laid out by ReportLab in the embedded Chinese font.

The documents are legal instruments served in Chinese whatever language the reader's pages use,
so their wording lives in the templates, not in the translation catalog. A template is plain
lines: "# " a title, "## " a heading, "> " a line set right (the issuer, the date), "| a | b |"
table rows (the first of a run is its heading), anything else a paragraph.
"""

import threading
from functools import cache
from html import escape
from io import BytesIO

from django.conf import settings
from django.template import Context, Engine
from django.utils import timezone, translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from casework.events import EventName
from casework.models import OrgUnit
from fund.models import Release
from lib import pdf, validators
from lib.money import format_yuan

from .models import Document

# ReportLab's TrueType subsetting keeps state on the shared font: one document at a time.
layout = threading.Lock()


@cache
def _engine():
    # The apps' template folders, without HTML escaping: the lines become ReportLab
    # paragraphs, escaped there.
    return Engine(app_dirs=True, autoescape=False)


def template_lines(name, context):
    """The text template `name` (e.g. "documents/pdf/closure.txt") filled with `context`, as
    lines for `flow`."""
    rendered = _engine().get_template(name).render(Context(context, autoescape=False))
    return rendered.splitlines()


def chinese_date(value):
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localdate(value)
    return f"{value.year}年{value.month}月{value.day}日"


def person(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _common(document):
    petition, event = document.petition, document.event
    root_id = petition.org_unit.ancestor_ids()[0]
    return {
        "federation": OrgUnit.objects.get(pk=root_id).name,
        "issuer": petition.zone.name,
        "petition": petition,
        "number": petition.number,
        "enterprise": petition.enterprise,
        "received_on": chinese_date(petition.received_at),
        "issued_on": chinese_date(event.at),
        "event": event,
        "actor": person(event.actor),
    }


def _worker(claim):
    return {
        "name": claim.name,
        "id_number": validators.mask_id_number(claim.worker.id_number),
        "claimed": format_yuan(claim.claimed_amount),
    }


def _workers(petition):
    claims = petition.claims.select_related("worker").order_by("pk")
    return [_worker(claim) for claim in claims]


def _notice(document):
    return {
        "worker": _worker(document.claim),
        "query_code": document.claim.query_code,
        "portal_url": settings.CASEWORK["PORTAL_URL"],
    }


def _agreement(document):
    petition = document.petition
    # The agreement the step recorded: the last one written before its event.
    agreement = (
        petition.agreements.filter(recorded_at__lte=document.event.at)
        .order_by("recorded_at", "pk")
        .last()
    )
    lines = agreement.lines.select_related("claim__worker").order_by("claim_id")
    return {
        "agreement": agreement,
        "signed_on": chinese_date(agreement.signed_on),
        "due_on": chinese_date(agreement.due_date),
        "lines": [{**_worker(line.claim), "agreed": format_yuan(line.amount)} for line in lines],
        "agreed_total": format_yuan(sum(line.amount for line in lines)),
        "workers": _workers(petition),
    }


def _closure(document):
    closure = (
        document.petition.closures.filter(recorded_at__lte=document.event.at)
        .order_by("recorded_at", "pk")
        .last()
    )
    return {"closure": closure, "workers": _workers(document.petition)}


FUND_STEPS = {
    EventName.FUND_DRAFT: "起草",
    EventName.FUND_REVISE: "修改",
    EventName.FUND_SUBMIT: "提交审批",
    EventName.FUND_APPROVE: "审批",
    EventName.FUND_REJECT: "退回",
    EventName.FUND_SIGN: "党工委签批",
    EventName.FUND_DISBURSE: "拨付",
}


def _fund_approval(document):
    release = Release.objects.select_related("fund").get(pk=document.event.data["release"])
    steps = document.petition.events.filter(
        transition__in=list(FUND_STEPS), pk__lte=document.event.pk
    ).select_related("actor")
    lines = release.lines.select_related("claim__worker").order_by("claim__name", "purpose")
    return {
        "release": release,
        "lines": [
            {
                **_worker(line.claim),
                "purpose": line.get_purpose_display(),
                "amount": format_yuan(line.amount),
                "state": line.get_state_display(),
                "paid_on": chinese_date(line.paid_at),
                "reference": line.payment_reference,
            }
            for line in lines
        ],
        "total": format_yuan(release.total),
        "steps": [
            {
                "name": FUND_STEPS[step.transition],
                "by": person(step.actor),
                "on": chinese_date(step.at),
                "note": step.reason,
            }
            for step in steps
            if step.data.get("release") == release.pk
        ],
    }


CONTEXTS = {
    Document.Kind.ACCEPTANCE: _notice,
    Document.Kind.REFUSAL: _notice,
    Document.Kind.AGREEMENT: _agreement,
    Document.Kind.TERMINATION: lambda document: {"workers": _workers(document.petition)},
    Document.Kind.FUND_APPROVAL: _fund_approval,
    Document.Kind.CLOSURE: _closure,
}


def text(document):
    """The document's filled template, as lines."""
    # The labels of choices (a fund line's purpose, its state) in the documents' language.
    with translation.override("zh-hans"):
        context = {**_common(document), **CONTEXTS[document.kind](document)}
        return template_lines(f"documents/pdf/{document.kind}.txt", context)


def styles(name):
    body = ParagraphStyle(
        "body", fontName=name, fontSize=11, leading=19, wordWrap="CJK", spaceAfter=4
    )
    return {
        "body": body,
        "title": ParagraphStyle(
            "title", parent=body, fontSize=20, leading=28, alignment=1, spaceAfter=6
        ),
        "h2": ParagraphStyle("h2", parent=body, fontSize=13, leading=20, spaceBefore=8),
        "right": ParagraphStyle("right", parent=body, alignment=2),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=13, spaceAfter=0),
    }


def _table(name, rows, styles, width):
    columns = max(len(row) for row in rows)
    cells = [
        [Paragraph(escape(cell), styles["cell"]) for cell in row + [""] * (columns - len(row))]
        for row in rows
    ]
    table = Table(cells, colWidths=[width / columns] * columns, repeatRows=1)
    table.setStyle(
        table_style(
            name, ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)
        )
    )
    return [table, Spacer(0, 3 * mm)]


def table_style(name, *extra):
    """The documents' tables: a grid, a grey head row, text in the embedded font."""
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), name),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#666666")),
            *extra,
        ]
    )


def flow(lines, name, styles, width):
    story, rows = [], []
    for line in (raw.strip() for raw in lines):
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
            continue
        if rows:
            story += _table(name, rows, styles, width)
            rows = []
        if not line:
            continue
        for prefix, style in (("## ", "h2"), ("# ", "title"), ("> ", "right")):
            if line.startswith(prefix):
                story.append(Paragraph(escape(line[len(prefix) :]), styles[style]))
                break
        else:
            story.append(Paragraph(escape(line), styles["body"]))
    if rows:
        story += _table(name, rows, styles, width)
    return story


def pdf_bytes(document):
    """The document as PDF bytes (not yet sealed). Raises lib.pdf.FontMissing."""
    lines = text(document)
    context = _common(document)
    return build(
        lambda name, page_styles, width: flow(lines, name, page_styles, width),
        title=document.title,
        federation=context["federation"],
        number=context["number"],
    )


def build(story_of, *, title, federation, number):
    """An A4 PDF of the story `story_of(font name, styles, text width)` in the embedded font,
    each page's footer naming the federation, the case number and the title. Raises
    lib.pdf.FontMissing."""
    name = pdf.font()
    footer_text = f"{federation} · 案号 {number} · {title}"
    with layout:
        out = BytesIO()
        doc = SimpleDocTemplate(
            out,
            pagesize=A4,
            leftMargin=22 * mm,
            rightMargin=22 * mm,
            topMargin=20 * mm,
            bottomMargin=20 * mm,
            title=title,
            author=federation,
            initialFontName=name,  # else the page starts in Helvetica, a font not embedded
        )

        def footer(canvas, page):
            canvas.saveState()
            canvas.setFont(name, 8)
            canvas.drawString(22 * mm, 10 * mm, footer_text)
            canvas.drawRightString(page.pagesize[0] - 22 * mm, 10 * mm, str(page.page))
            canvas.restoreState()

        doc.build(story_of(name, styles(name), doc.width), onFirstPage=footer, onLaterPages=footer)
        return out.getvalue()
