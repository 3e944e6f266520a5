"""Receiving uploaded files safely, for every feature (lessons, assignments, forums).

- The type is detected from the content (magic bytes), never from the client's name or Content-Type;
  only the few formats in FORMATS are known, so HTML, SVG, XML, scripts and executables are simply
  "not an allowed type".
- The upload is streamed in chunks to <instance>/files/tmp (hashing as it goes, stopping as soon as the
  size limit for its kind is passed), then moved atomically to <instance>/files/<key[:2]>/<key>.
- A refusal raises UploadError(msgid, **params) and leaves nothing on disk; a stored file whose row is
  rolled back is removed again (see core/files.py).
- Images for rich text go through save_image(), which re-encodes them with Pillow: smaller, without
  metadata, and without anything hidden after or inside the picture data.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import struct
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext

from elearn.core.files import (  # noqa: F401  (re-exported: features import everything from here)
    StoredFile,
    delete_stored,
    download_name,
    files_root,
    path_of,
    send_stored,
    track_new,
)
from elearn.extensions import db

CHUNK_SIZE = 1024 * 1024
HEAD_SIZE = 8192  # bytes looked at to recognise a format
KINDS = ("document", "image", "video", "office", "archive")
MAX_NAME_BYTES = 200  # UTF-8 bytes of a stored name, extension included (file systems allow 255)
MAX_ZIP_ENTRIES = 5000  # an office file has tens to hundreds; more is treated as a plain archive


def N_(text: str) -> str:
    """Mark a msgid for extraction; UploadError translates it where it is shown."""
    return text


class UploadError(Exception):
    """An upload was refused; `msgid` is an English msgid, `params` its %(name)s values."""

    def __init__(self, msgid: str, **params):
        super().__init__(msgid % params if params else msgid)
        self.msgid = msgid
        self.message = msgid  # same attribute name as ServiceError
        self.params = params

    def translated(self) -> str:
        return gettext(self.msgid, **self.params)


# --- formats ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Format:
    name: str
    content_type: str
    kind: str
    ext: str


PDF = Format("pdf", "application/pdf", "document", ".pdf")
PNG = Format("png", "image/png", "image", ".png")
JPEG = Format("jpeg", "image/jpeg", "image", ".jpg")
GIF = Format("gif", "image/gif", "image", ".gif")
WEBP = Format("webp", "image/webp", "image", ".webp")
MP4 = Format("mp4", "video/mp4", "video", ".mp4")
WEBM = Format("webm", "video/webm", "video", ".webm")
DOCX = Format("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "office", ".docx")
XLSX = Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "office", ".xlsx")
PPTX = Format("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "office", ".pptx")
ZIP = Format("zip", "application/zip", "archive", ".zip")
FORMATS = (PDF, PNG, JPEG, GIF, WEBP, MP4, WEBM, DOCX, XLSX, PPTX, ZIP)
_BY_CONTENT_TYPE = {f.content_type: f for f in FORMATS}

# ISO base media brands that browsers play as MP4 (QuickTime "qt  ", HEIF images, M4A audio are not here).
MP4_BRANDS = frozenset({b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ",
                        b"M4VP", b"M4VH", b"dash", b"mmp4", b"f4v ", b"MSNV"})
# Office Open XML: the part that makes a ZIP a document of that kind.
OFFICE_PARTS = ((DOCX, "word/document.xml"), (XLSX, "xl/workbook.xml"), (PPTX, "ppt/presentation.xml"))


def _is_webm(head: bytes) -> bool:
    # EBML header (1A 45 DF A3) whose DocType element (42 82, then a one-byte size) says "webm".
    i = head.find(b"\x42\x82", 4, 64)
    if i < 0 or i + 3 > len(head) or not head[i + 2] & 0x80:
        return False
    size = head[i + 2] & 0x7F
    return head[i + 3:i + 3 + size].rstrip(b"\0") == b"webm"


# (test on the first bytes, format). ZIP is refined later from its list of entries.
SIGNATURES = (
    (lambda h: h.startswith(b"%PDF-"), PDF),
    (lambda h: h.startswith(b"\x89PNG\r\n\x1a\n"), PNG),
    (lambda h: h.startswith(b"\xff\xd8\xff"), JPEG),
    (lambda h: h[:6] in (b"GIF87a", b"GIF89a"), GIF),
    (lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP", WEBP),
    (lambda h: h[4:8] == b"ftyp" and h[8:12] in MP4_BRANDS, MP4),
    (lambda h: h.startswith(b"\x1a\x45\xdf\xa3") and _is_webm(h), WEBM),
    (lambda h: h[:4] in (b"PK\x03\x04", b"PK\x05\x06"), ZIP),
)


def sniff(head: bytes) -> Format | None:
    """The format the first bytes show, or None (text, markup, scripts, executables, anything else)."""
    for test, fmt in SIGNATURES:
        if test(head):
            return fmt
    return None


def refine_zip(path: Path) -> Format | None:
    """A ZIP is an office file when its entries say so, otherwise a plain archive; None if unreadable."""
    if _zip_entry_count(path) > MAX_ZIP_ENTRIES:
        return ZIP  # do not load a huge central directory into memory just to look for one name
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    for fmt, part in OFFICE_PARTS:
        if part in names:
            return fmt
    return ZIP


def _zip_entry_count(path: Path) -> int:
    """Entries announced by the end-of-central-directory record (0xFFFF+ for ZIP64: treated as huge)."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - 65557))
        tail = fh.read()
    i = tail.rfind(b"PK\x05\x06")
    if i < 0 or i + 12 > len(tail):
        return 0
    (count,) = struct.unpack("<H", tail[i + 10:i + 12])
    return count if count != 0xFFFF else MAX_ZIP_ENTRIES + 1


def detect(path: Path) -> Format | None:
    """The format of a file on disk, from its content only."""
    with path.open("rb") as fh:
        head = fh.read(HEAD_SIZE)
    fmt = sniff(head)
    return refine_zip(path) if fmt is ZIP else fmt


def extension_for(content_type: str) -> str:
    fmt = _BY_CONTENT_TYPE.get(content_type)
    return fmt.ext if fmt else ""


def allowed_extensions(kinds) -> str:
    """".pdf, .png, ..." for the refusal message."""
    return ", ".join(f.ext for f in FORMATS if f.kind in kinds)


def format_size(n: int) -> str:
    """52428800 -> "50 MB", 1572864 -> "1.5 MB", 900 -> "1 KB"."""
    if n >= 1024 * 1024:
        value, unit = n / (1024 * 1024), "MB"
    else:
        value, unit = max(n / 1024, 1), "KB"
    rounded = round(value, 1)
    return f"{int(rounded) if rounded == int(rounded) else rounded} {unit}"


# --- names --------------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[/\\]")
_FORBIDDEN = set('<>:"|?*')  # also refused by Windows when the person saves the download
_KNOWN_EXTENSIONS = frozenset(
    "pdf doc docx xls xlsx ppt pptx odt ods odp rtf txt csv png jpg jpeg jpe jfif gif webp bmp tif tiff svg svgz "
    "ico heic avif mp4 m4v mov webm mkv avi wmv flv mp3 m4a wav ogg zip rar 7z gz tar html htm xhtml xml js mjs "
    "php phtml sh bash exe dll bat cmd com msi scr ps1 vbs jar py pl cgi bin apk".split())


def clean_name(raw: str | None, ext: str) -> str:
    """A safe display/download name: base name only, no control or path characters, Vietnamese kept
    (NFC), at most MAX_NAME_BYTES, ending in `ext` (the detected type's extension); "tep" + ext if
    nothing usable is left.
    """
    name = unicodedata.normalize("NFC", raw or "")
    name = _SEPARATORS.split(name)[-1]
    kept = []
    for ch in name:
        if ch.isspace():
            kept.append(" ")
        elif unicodedata.category(ch)[0] != "C" and ch not in _FORBIDDEN:  # C*: control, format (RLO), ...
            kept.append(ch)
    stem = " ".join("".join(kept).split()).rstrip(" .")
    # Drop the client's own extension(s): the shown one comes from the detected type.
    while "." in stem:
        base, _, old = stem.rpartition(".")
        if old.lower() not in _KNOWN_EXTENSIONS:
            break
        stem = base.rstrip(" .")
    stem = stem.lstrip(" .")  # no hidden (dot) files
    budget = MAX_NAME_BYTES - len(ext.encode())
    while len(stem.encode()) > budget:
        stem = stem[:-1]
    stem = stem.rstrip(" .")
    return (stem or "tep") + ext


# --- receiving ----------------------------------------------------------------------------------

@dataclass
class _Received:
    path: Path  # temporary file under files/tmp
    fmt: Format
    size: int
    sha256: str


def _limits() -> dict[str, int]:
    return current_app.config["UPLOAD_LIMITS"]


def _tmp_dir() -> Path:
    path = files_root() / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _not_allowed(allowed_kinds) -> UploadError:
    return UploadError(N_("This type of file is not allowed here. Allowed types: %(allowed)s."),
                       allowed=allowed_extensions(allowed_kinds))


def _too_large(limit: int) -> UploadError:
    return UploadError(N_("The file is larger than %(limit)s, the limit for this type of file."),
                       limit=format_size(limit))


def _receive(file_storage, allowed_kinds) -> _Received:
    """Stream the upload to a temporary file, checking type and size as it arrives."""
    allowed = set(allowed_kinds)
    unknown = allowed - set(KINDS)
    if not allowed or unknown:
        raise ValueError(f"allowed_kinds must be a non-empty subset of {KINDS}, got {allowed_kinds!r}")
    if file_storage is None or not (getattr(file_storage, "filename", "") or "").strip():
        raise UploadError(N_("Choose a file to upload."))
    limits = _limits()
    limit = max(limits[k] for k in allowed)  # until the type is known
    fmt: Format | None = None
    head = b""
    size = 0
    digest = hashlib.sha256()
    read = file_storage.stream.read
    fd, name = tempfile.mkstemp(prefix="up-", dir=_tmp_dir())
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            while True:
                chunk = read(CHUNK_SIZE)
                if not chunk:
                    break
                size += len(chunk)
                if fmt is None and len(head) < HEAD_SIZE:
                    head += chunk[:HEAD_SIZE - len(head)]
                    if len(head) >= HEAD_SIZE:
                        fmt, limit = _check_head(head, allowed, limits)
                if size > limit:
                    raise _too_large(limit)
                digest.update(chunk)
                out.write(chunk)
            if size == 0:
                raise UploadError(N_("The file is empty."))
            if fmt is None:
                fmt, limit = _check_head(head, allowed, limits)
            out.flush()
            os.fsync(out.fileno())
        if fmt is ZIP:
            fmt = refine_zip(tmp)
            if fmt is None or fmt.kind not in allowed:
                raise _not_allowed(allowed)
        if size > limits[fmt.kind]:
            raise _too_large(limits[fmt.kind])
        return _Received(tmp, fmt, size, digest.hexdigest())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _check_head(head: bytes, allowed: set[str], limits: dict[str, int]) -> tuple[Format, int]:
    fmt = sniff(head)
    if fmt is None:
        raise _not_allowed(allowed)
    if fmt is ZIP:  # office or archive: known once the whole file is here
        kinds = {"office", "archive"} & allowed
        if not kinds:
            raise _not_allowed(allowed)
        return fmt, max(limits[k] for k in kinds)
    if fmt.kind not in allowed:
        raise _not_allowed(allowed)
    return fmt, limits[fmt.kind]


def _store(tmp: Path, fmt: Format, size: int, sha256: str, client_name: str | None, *, owner,
           attached_type: str, attached_id: int | None) -> StoredFile:
    key = secrets.token_hex(20)
    file = StoredFile(
        storage_key=key, original_name=clean_name(client_name, fmt.ext), content_type=fmt.content_type,
        kind=fmt.kind, size=size, sha256=sha256, owner_id=owner.id if owner is not None else None,
        attached_type=attached_type or "", attached_id=attached_id,
    )
    final = path_of(file)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    track_new(db.session, final)
    db.session.add(file)
    return file


def save_upload(file_storage, *, allowed_kinds, owner, attached_type: str = "",
                attached_id: int | None = None) -> StoredFile:
    """Store an uploaded werkzeug FileStorage whose detected kind is in `allowed_kinds`.

    Adds the StoredFile to db.session; the caller commits (the file is removed again on rollback).
    Raises UploadError with a translatable message when the file is refused.
    """
    got = _receive(file_storage, allowed_kinds)
    return _store(got.path, got.fmt, got.size, got.sha256, file_storage.filename, owner=owner,
                  attached_type=attached_type, attached_id=attached_id)


# --- images for rich text -----------------------------------------------------------------------

# Output format for each input: GIF becomes PNG (first frame only).
_IMAGE_OUT = {JPEG: ("JPEG", JPEG), PNG: ("PNG", PNG), GIF: ("PNG", PNG), WEBP: ("WEBP", WEBP)}


def save_image(file_storage, *, owner, attached_type: str = "", attached_id: int | None = None,
               max_width: int | None = None) -> StoredFile:
    """Store an image re-encoded by Pillow: at most IMAGE_MAX_WIDTH px wide, no metadata (EXIF, GPS,
    comments, text chunks), colours converted to sRGB, as JPEG/PNG/WebP. Re-encoding keeps only the
    pixels, so nothing appended to or hidden in the original survives.
    """
    from PIL import Image

    got = _receive(file_storage, {"image"})
    max_width = max_width or current_app.config.get("IMAGE_MAX_WIDTH", 1280)
    max_pixels = current_app.config.get("IMAGE_MAX_PIXELS", 40_000_000)
    pil_format, out_fmt = _IMAGE_OUT[got.fmt]
    try:
        try:
            with Image.open(got.path) as img:  # reads the header only: the size is known before decoding
                if img.width * img.height > max_pixels:
                    raise UploadError(N_("The image is too large: at most %(n)s megapixels are allowed."),
                                      n=max_pixels // 1_000_000)
                if img.format == "JPEG" and img.width > max_width:
                    img.draft("RGB", (max_width, max(1, img.height * max_width // img.width)))
                img.load()
                clean = _reencode(img, pil_format, max_width)
        except UploadError:
            raise
        except Image.DecompressionBombError:
            raise UploadError(N_("The image is too large: at most %(n)s megapixels are allowed."),
                              n=max_pixels // 1_000_000) from None
        except (OSError, SyntaxError, ValueError, EOFError, Image.UnidentifiedImageError):
            raise UploadError(N_("The image could not be read; the file may be damaged.")) from None
        fd, name = tempfile.mkstemp(prefix="img-", dir=_tmp_dir())
        out_path = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(clean)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            out_path.unlink(missing_ok=True)
            raise
    finally:
        got.path.unlink(missing_ok=True)
    return _store(out_path, out_fmt, len(clean), hashlib.sha256(clean).hexdigest(), file_storage.filename,
                  owner=owner, attached_type=attached_type, attached_id=attached_id)


def _reencode(img, pil_format: str, max_width: int) -> bytes:
    from PIL import Image, ImageOps

    img = ImageOps.exif_transpose(img)  # keep the orientation the camera meant, then forget the EXIF
    img = _to_srgb(img)
    has_alpha = "A" in img.mode or "transparency" in img.info
    if pil_format == "JPEG":
        img = img.convert("RGB") if img.mode not in ("RGB", "L") else img
    elif img.mode not in ("RGB", "RGBA", "L", "LA") or "transparency" in img.info:
        img = img.convert("RGBA" if has_alpha else "RGB")
    if img.width > max_width:
        height = max(1, round(img.height * max_width / img.width))
        img = img.resize((max_width, height), Image.Resampling.LANCZOS)
    img.info = {}  # no EXIF, XMP, ICC, comments or text chunks are carried over
    buffer = io.BytesIO()
    if pil_format == "JPEG":
        img.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    elif pil_format == "PNG":
        img.save(buffer, "PNG", optimize=True)
    else:
        img.save(buffer, "WEBP", quality=85, method=4)
    return buffer.getvalue()


def _to_srgb(img):
    icc = img.info.get("icc_profile")
    if not icc:
        return img.convert("RGB") if img.mode == "CMYK" else img
    try:
        from PIL import ImageCms

        mode = "RGB" if img.mode in ("CMYK", "YCbCr", "LAB", "HSV") else img.mode
        if mode not in ("RGB", "RGBA", "L"):
            return img
        converted = ImageCms.profileToProfile(img, ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                                              ImageCms.createProfile("sRGB"), outputMode=mode)
        return converted if converted is not None else img
    except Exception:  # noqa: BLE001  (a broken profile: keep the pixels as they are)
        return img.convert("RGB") if img.mode == "CMYK" else img
