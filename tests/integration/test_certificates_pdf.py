"""The certificate PDF: Vietnamese text intact, QR code decodes to the verification URL, frozen bytes."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from elearn.certificates import pdf, services
from elearn.core.files import path_of
from elearn.extensions import db
from tests.certificate_factories import VN_COURSE, VN_NAME, course_with_template, issued


@pytest.fixture
def cert(factory):
    admin = factory.admin()
    course, _template = course_with_template(factory, admin)
    return issued(factory, admin, course, full_name=VN_NAME, unit=factory.unit("Xã Minh Xuân", "commune"))


def _text(data: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


def test_vietnamese_name_and_course_title_are_intact_in_the_pdf_text(cert):
    data = path_of(services.ensure_pdf(cert)).read_bytes()
    text = _text(data)
    assert VN_NAME in text
    assert " ".join(VN_COURSE.split()) in text
    for piece in (cert.serial, "Mã xác thực", "Thời lượng: 24 giờ", "Trường Chính trị tỉnh Tuyên Quang".upper()):
        assert piece in text
    assert services.verify_url(cert.code).split("/verify/")[0] in text


def test_the_font_is_embedded_dejavu(cert):
    reader = PdfReader(io.BytesIO(services.render_pdf(cert)))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = {str(fonts[key].get_object()["/BaseFont"]) for key in fonts}
    assert any("DejaVuSerif" in n for n in names), names
    for key in fonts:
        descendant = fonts[key].get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()  # embedded, not referenced


def test_qr_code_decodes_to_the_verification_url(cert):
    url = services.verify_url(cert.code)
    reader = PdfReader(io.BytesIO(services.render_pdf(cert)))
    images = reader.pages[0].images
    assert images, "no QR image in the PDF"
    zxingcpp = pytest.importorskip("zxingcpp")
    decoded = [r.text for image in images for r in zxingcpp.read_barcodes(image.image)]
    assert url in decoded
    assert url.endswith("/verify/" + cert.code)


def test_segno_matrix_matches_the_url():
    url = "https://elearn.example/verify/ABCDEFGHIJKLMNOPQRSTUVWX"
    matrix = pdf.qr_matrix(url)
    assert len(matrix) == len(matrix[0]) >= 21
    assert matrix == pdf.qr_matrix(url) and matrix != pdf.qr_matrix(url + "Y")


def test_the_same_certificate_renders_identical_bytes(cert):
    first = services.render_pdf(cert)
    assert services.render_pdf(cert) == first
    stored = services.ensure_pdf(cert)
    assert path_of(stored).read_bytes() == first
    # a later change to the person, course or template does not change the certificate
    cert.user.set_full_name("Tên Khác")
    cert.course.title = "Khoá học đã đổi tên"
    cert.template.signer_name = "Người ký khác"
    db.session.commit()
    assert services.render_pdf(cert) == first
    path_of(stored).unlink()  # even re-rendered after the stored file is lost
    again = services.ensure_pdf(cert)
    assert path_of(again).read_bytes() == first


def test_portrait_layout_and_template_preview(factory):
    admin = factory.admin()
    course, template = course_with_template(factory, admin)
    template.orientation = "P"
    db.session.commit()
    data = services.preview_pdf(template)
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert float(page.mediabox.height) > float(page.mediabox.width)
    assert "Nguyễn Thị Hồng Nhung" in _text(data) and course.title in _text(data)
