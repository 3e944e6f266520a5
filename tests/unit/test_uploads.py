"""Type detection by content, name sanitising and size wording (elearn/core/uploads.py); no app needed."""
from __future__ import annotations

import unicodedata

import pytest

from elearn.core import uploads
from elearn.core.uploads import (
    DOCX,
    GIF,
    JPEG,
    MP4,
    PDF,
    PNG,
    PPTX,
    WEBM,
    WEBP,
    XLSX,
    ZIP,
    UploadError,
    clean_name,
    detect,
    format_size,
    sniff,
)
from tests import file_samples as s

# --- detection ------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, fmt", [
    (s.pdf(), PDF),
    (s.png(), PNG),
    (s.image("JPEG"), JPEG),
    (s.image("GIF"), GIF),
    (b"GIF87a" + b"\x00" * 20, GIF),
    (s.image("WEBP"), WEBP),
    (s.mp4_header(b"isom"), MP4),
    (s.mp4_header(b"mp42"), MP4),
    (s.mp4_header(b"avc1"), MP4),
    (s.mp4_header(b"M4V "), MP4),
    (s.webm_header(), WEBM),
])
def test_formats_are_recognised_by_their_first_bytes(data, fmt):
    assert sniff(data[:uploads.HEAD_SIZE]) is fmt


@pytest.mark.parametrize("fmt, content_type, kind, ext", [
    (PDF, "application/pdf", "document", ".pdf"),
    (PNG, "image/png", "image", ".png"),
    (JPEG, "image/jpeg", "image", ".jpg"),
    (WEBP, "image/webp", "image", ".webp"),
    (MP4, "video/mp4", "video", ".mp4"),
    (WEBM, "video/webm", "video", ".webm"),
    (DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "office", ".docx"),
    (XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "office", ".xlsx"),
    (ZIP, "application/zip", "archive", ".zip"),
])
def test_each_format_maps_to_a_content_type_and_kind(fmt, content_type, kind, ext):
    assert (fmt.content_type, fmt.kind, fmt.ext) == (content_type, kind, ext)
    assert uploads.extension_for(content_type) == ext


@pytest.mark.parametrize("data", [
    s.HTML, b"\xef\xbb\xbf<html><script>x</script>", b"   \n<!doctype html>", s.SVG, s.SVG_BARE, s.XML, s.JS,
    s.PHP, s.SHELL, s.ELF, s.MZ, s.TEXT, b"\x00" * 100,
    s.webm_header(b"matroska"),  # Matroska that is not WebM
    s.mp4_header(b"qt  "),  # QuickTime
    s.mp4_header(b"heic"),  # a HEIF photo
    b"%PD", b"\x89PN",  # truncated signatures
    b"RIFF\x00\x00\x00\x00WAVEfmt ",  # RIFF, but audio
])
def test_markup_scripts_executables_and_unknown_content_are_not_recognised(data):
    assert sniff(data) is None


def test_a_pdf_signature_must_be_at_the_start():
    assert sniff(b"<html>" + s.pdf()) is None


@pytest.mark.parametrize("data, fmt", [
    (s.docx(), DOCX), (s.xlsx(), XLSX), (s.pptx(), PPTX), (s.plain_zip(), ZIP),
])
def test_zip_files_are_told_apart_by_their_entries(tmp_path, data, fmt):
    path = tmp_path / "upload"
    path.write_bytes(data)
    assert sniff(data[:8192]) is ZIP
    assert detect(path) is fmt


def test_a_zip_named_like_an_office_part_but_elsewhere_is_an_archive(tmp_path):
    path = tmp_path / "upload"
    path.write_bytes(s.zip_of({"docs/word/document.xml": b"x"}))
    assert detect(path) is ZIP


def test_a_damaged_zip_is_not_recognised(tmp_path):
    path = tmp_path / "upload"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    assert detect(path) is None


def test_a_zip_with_a_huge_directory_is_not_opened_to_look_for_office_parts(tmp_path, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_ENTRIES", 20)
    entries = {f"f{i}.txt": b"" for i in range(21)}
    entries["word/document.xml"] = b"<w:document/>"
    path = tmp_path / "upload"
    path.write_bytes(s.zip_of(entries))

    def no_open(*a, **k):
        raise AssertionError("central directory should not be read")

    monkeypatch.setattr(uploads.zipfile, "ZipFile", no_open)
    assert detect(path) is ZIP


def test_detection_reads_only_the_content(tmp_path):
    # The same bytes under any name are the same type: the name is never consulted.
    for name in ("lesson.pdf", "image.png", "video.mp4"):
        path = tmp_path / name
        path.write_bytes(s.HTML)
        assert detect(path) is None


# --- names ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, ext, expected", [
    ("../../etc/passwd", ".pdf", "passwd.pdf"),
    ("..\\..\\Windows\\system.ini", ".pdf", "system.ini.pdf"),
    ("C:\\Users\\Lan\\Bài giảng số 1.docx", ".docx", "Bài giảng số 1.docx"),
    ("lesson.pdf", ".pdf", "lesson.pdf"),
    ("lesson.PDF", ".pdf", "lesson.pdf"),
    ("lesson.html", ".pdf", "lesson.pdf"),  # the shown extension comes from the detected type
    ("image.png", ".jpg", "image.jpg"),
    ("evil.php.png", ".png", "evil.png"),
    ("Báo cáo v1.2", ".pdf", "Báo cáo v1.2.pdf"),  # "2" is not an extension
    ("Nghị quyết 18-NQ.TW", ".pdf", "Nghị quyết 18-NQ.TW.pdf"),
    ("a\x00b\x1bc\r\nd\te.pdf", ".pdf", "abc d e.pdf"),
    ("invoice\u202efdp.exe", ".pdf", "invoicefdp.pdf"),  # right-to-left override removed
    ('say "hi" <b>:|?*.pdf', ".pdf", "say hi b.pdf"),
    ("   spaced    out   .pdf", ".pdf", "spaced out.pdf"),
    (".bashrc", ".pdf", "bashrc.pdf"),
    ("..", ".pdf", "tep.pdf"),
    ("", ".png", "tep.png"),
    (None, ".mp4", "tep.mp4"),
    ("/", ".pdf", "tep.pdf"),
    ("\x01\x02", ".pdf", "tep.pdf"),
    (".pdf", ".pdf", "tep.pdf"),
])
def test_clean_name(raw, ext, expected):
    assert clean_name(raw, ext) == expected


def test_clean_name_keeps_vietnamese_in_composed_form():
    decomposed = unicodedata.normalize("NFD", "Nghị quyết Đảng.pdf")
    name = clean_name(decomposed, ".pdf")
    assert name == "Nghị quyết Đảng.pdf"
    assert unicodedata.is_normalized("NFC", name)


def test_clean_name_limits_the_length_and_keeps_the_extension():
    name = clean_name("Tài liệu " * 100 + ".pdf", ".pdf")
    assert name.endswith(".pdf")
    assert len(name.encode()) <= uploads.MAX_NAME_BYTES
    assert name.startswith("Tài liệu Tài liệu")
    assert not name[:-4].endswith((" ", "."))


# --- messages ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("n, text", [
    (50 * 1024 * 1024, "50 MB"), (1536 * 1024, "1.5 MB"), (250 * 1024 * 1024, "250 MB"), (300, "1 KB"),
    (64 * 1024, "64 KB"),
])
def test_format_size(n, text):
    assert format_size(n) == text


def test_upload_error_keeps_its_msgid_and_parameters():
    err = UploadError("The file is larger than %(limit)s, the limit for this type of file.", limit="50 MB")
    assert err.msgid.startswith("The file is larger than")
    assert err.params == {"limit": "50 MB"}
    assert "50 MB" in str(err)


def test_allowed_extensions_lists_the_formats_of_the_allowed_kinds():
    assert uploads.allowed_extensions({"document"}) == ".pdf"
    assert uploads.allowed_extensions({"image"}) == ".png, .jpg, .gif, .webp"
    assert uploads.allowed_extensions({"video", "office"}) == ".mp4, .webm, .docx, .xlsx, .pptx"
