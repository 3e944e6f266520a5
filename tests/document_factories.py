"""Document-library test data, built through the real services."""
from __future__ import annotations

import io
import itertools
from datetime import date

from werkzeug.datastructures import FileStorage

from elearn.core.uploads import save_upload
from elearn.demo import pdfdoc
from elearn.documents import services
from elearn.extensions import db

_seq = itertools.count(1)


def vietnamese_pdf(title: str, *paragraphs: str) -> bytes:
    return pdfdoc.render(title, [("p", p) for p in paragraphs], issuer="Bộ Chính trị")


def make_document(actor, *, symbol: str | None = None, kind: str = "nghi_quyet", title: str | None = None,
                  issued_on: date = date(2024, 12, 22), summary: str = "", tags=(), body_text: str = "",
                  pdf: bytes | None = None, issuing_body: str = "Bộ Chính trị"):
    n = next(_seq)
    data = services.DocumentData(symbol=symbol or f"{100 + n}-NQ/TW", kind=kind, title=title or f"Văn bản thử {n}",
                                 issuing_body=issuing_body, issued_on=issued_on, summary=summary, tags=list(tags),
                                 body_text=body_text)
    file = None
    if pdf is not None:
        file = save_upload(FileStorage(io.BytesIO(pdf), filename="van-ban.pdf"), allowed_kinds={"document"},
                           owner=actor)
        db.session.flush()
    return services.create_document(actor, data, file=file)
