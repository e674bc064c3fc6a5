"""An upload's type is read from its content."""

import io

import pytest
from PIL import Image

from lib import files


def image_bytes(kind):
    data = io.BytesIO()
    Image.new("RGB", (8, 8)).save(data, kind)
    return data.getvalue()


@pytest.mark.parametrize(
    ("kind", "content_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_photos_are_known_by_their_content(kind, content_type):
    assert files.sniff(image_bytes(kind)) == content_type


def test_a_pdf_is_known_by_its_content():
    assert (
        files.sniff(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n") == "application/pdf"
    )


def test_a_cut_off_pdf_is_refused():
    with pytest.raises(files.Refused, match="incomplete"):
        files.sniff(b"%PDF-1.7\n1 0 obj\n<<>>")


@pytest.mark.parametrize("data", [b"", b"MZ\x90\x00", b"<svg onload=alert(1)>", image_bytes("GIF")])
def test_anything_else_is_refused(data):
    with pytest.raises(files.Refused):
        files.sniff(data)


def test_a_truncated_photo_is_refused():
    with pytest.raises(files.Refused):
        files.sniff(image_bytes("PNG")[:40])
