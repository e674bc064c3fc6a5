"""A seal certificate of the tests' own (made once), documents rendered as the timer loop does,
and PDFs read back through pypdfium2: rendered to images, their text extracted."""

import io

import pypdfium2 as pdfium
from pypdf import PdfReader

from documents import services
from documents.models import Document

from ..fund.conftest import fund, wage_petition  # noqa: F401 - the fund's fixtures


def issue(petition):
    """Render what the petition's steps issued, as the timer loop does; its documents."""
    services.timer_source()
    return list(Document.objects.filter(petition=petition).order_by("pk"))


def content(document):
    with document.file.open("rb") as handle:
        return handle.read()


def pdf_text(data):
    """The PDF's text, page by page, after rendering each page to an image (which must show
    something: a page of boxes or blank would not)."""
    pdf = pdfium.PdfDocument(data)
    texts = []
    for page in pdf:
        image = page.render(scale=1).to_pil().convert("L")
        assert image.getextrema()[0] < 100, "the page renders blank"
        texts.append(page.get_textpage().get_text_range())
    return "\n".join(texts)


def embedded_fonts(data):
    reader = PdfReader(io.BytesIO(data))
    return [
        font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()
    ]
