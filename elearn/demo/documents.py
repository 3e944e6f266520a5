"""Demo document library: Party documents that exist, with their real numbers, kinds, issuing bodies and
dates, short honest summaries, and a generated PDF each (a study abridgement written for the demo, marked as
such — not the official text). Lessons of the demo courses cite them, and one supersession is recorded after
the citations (Quy định 232-QĐ/TW replaced 24-QĐ/TW on implementing the Party Statute), so the lecturers of
the citing course get the notification and the "document updated" warning.

Idempotent: when 57-NQ/TW is in the library already, nothing changes.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from elearn.core.uploads import save_upload
from elearn.courses.models import Course, Lesson
from elearn.demo import pdfdoc
from elearn.demo.courses import _Cast
from elearn.documents import domain, services
from elearn.documents.models import Document
from elearn.extensions import db

BCH = "Ban Chấp hành Trung ương"
BCT = "Bộ Chính trị"
BBT = "Ban Bí thư"
DEMO_NOTE = ("Tài liệu tóm tắt phục vụ học tập trên hệ thống elearn (bản trình diễn), không thay thế văn bản chính "
             "thức. Toàn văn văn bản đăng trên Báo điện tử Đảng Cộng sản Việt Nam và Cổng Thông tin điện tử "
             "Chính phủ.")


@dataclass(frozen=True)
class DocSpec:
    symbol: str
    kind: str
    title: str
    body: str
    issued: date
    summary: tuple[str, ...]  # paragraphs, also the body of the PDF
    points: tuple[str, ...] = ()  # main contents, a bulleted list in the PDF
    tags: tuple[str, ...] = ()
    cited_by: tuple[tuple[str, str], ...] = ()  # (course code, start of the lesson title)


NQ, QD, CT, KL = domain.DocKind.NGHI_QUYET, domain.DocKind.QUY_DINH, domain.DocKind.CHI_THI, domain.DocKind.KET_LUAN

DOCUMENTS = (
    DocSpec("57-NQ/TW", NQ, "về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
            BCT, date(2024, 12, 22),
            ("Nghị quyết xác định phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia là đột "
             "phá quan trọng hàng đầu, là động lực chính để phát triển nhanh lực lượng sản xuất hiện đại, hoàn thiện "
             "quan hệ sản xuất, đổi mới phương thức quản trị quốc gia.",
             "Nghị quyết đặt mục tiêu đến năm 2030 và tầm nhìn đến năm 2045, trong đó có mục tiêu quy mô kinh tế số "
             "đạt tối thiểu 30% GDP và kinh phí chi cho nghiên cứu phát triển đạt 2% GDP vào năm 2030."),
            ("Nâng cao nhận thức, đổi mới tư duy, quyết tâm chính trị mạnh mẽ, quyết liệt lãnh đạo, chỉ đạo.",
             "Khẩn trương hoàn thiện thể chế; xóa bỏ mọi tư tưởng, quan niệm, rào cản đang cản trở sự phát triển.",
             "Tăng cường đầu tư, hoàn thiện hạ tầng cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số.",
             "Phát triển, trọng dụng nhân lực chất lượng cao, nhân tài.",
             "Đẩy mạnh chuyển đổi số trong hoạt động của các cơ quan trong hệ thống chính trị."),
            ("khoa học công nghệ", "đổi mới sáng tạo", "chuyển đổi số"),
            (("BD-NQ57", "Bài 1."), ("BD-NQ57", "Bài 3."), ("BD-NQ57", "Bài 4."), ("BD-NQ57", "Tài liệu tóm tắt"),
             ("TH-AI-CBCC", "Bài 1."),
             ("BD-CDS-XA", "Bài 1."))),
    DocSpec("52-NQ/TW", NQ, "về một số chủ trương, chính sách chủ động tham gia cuộc Cách mạng công nghiệp lần thứ tư",
            BCT, date(2019, 9, 27),
            ("Nghị quyết đề ra chủ trương chủ động, tích cực tham gia cuộc Cách mạng công nghiệp lần thứ tư, gắn với "
             "quá trình hoàn thiện thể chế, phát triển hạ tầng số, nguồn nhân lực và chuyển đổi số quốc gia.",),
            ("Hoàn thiện thể chế tạo thuận lợi cho quá trình chuyển đổi số quốc gia.",
             "Phát triển hạ tầng thiết yếu, hạ tầng số; phát triển nguồn nhân lực.",
             "Phát triển các ngành ưu tiên, công nghệ số, kinh tế số."),
            ("cách mạng công nghiệp lần thứ tư", "chuyển đổi số"),
            (("BD-NQ57", "Bài 1."),)),
    DocSpec("60-NQ/TW", NQ, "Hội nghị lần thứ 11 Ban Chấp hành Trung ương Đảng khóa XIII", BCH, date(2025, 4, 12),
            ("Nghị quyết của Hội nghị Trung ương 11 khóa XIII thống nhất chủ trương sắp xếp đơn vị hành chính, tổ "
             "chức chính quyền địa phương hai cấp (cấp tỉnh và cấp xã), không tổ chức cấp huyện, cùng các nội dung "
             "về sắp xếp tổ chức bộ máy của hệ thống chính trị.",),
            ("Sắp xếp đơn vị hành chính cấp tỉnh, cấp xã.",
             "Tổ chức chính quyền địa phương hai cấp, không tổ chức cấp huyện.",
             "Sắp xếp tổ chức bộ máy Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội."),
            ("chính quyền địa phương hai cấp", "tổ chức bộ máy"),
            (("BD-CDS-XA", "Bài 1."), ("BD-LDQL-XA", "Bài 1."))),
    DocSpec("21-NQ/TW", NQ, "về tăng cường củng cố, xây dựng tổ chức cơ sở đảng và nâng cao chất lượng đội ngũ đảng "
            "viên trong giai đoạn mới", BCH, date(2022, 6, 16),
            ("Nghị quyết Hội nghị Trung ương 5 khóa XIII về xây dựng tổ chức cơ sở đảng trong sạch, vững mạnh và nâng "
             "cao chất lượng đội ngũ đảng viên, trong đó nhấn mạnh đổi mới, nâng cao chất lượng sinh hoạt chi bộ.",),
            ("Nâng cao năng lực lãnh đạo, sức chiến đấu của tổ chức cơ sở đảng.",
             "Nâng cao chất lượng sinh hoạt chi bộ; chất lượng kết nạp và quản lý đảng viên.",
             "Tăng cường kiểm tra, giám sát ở cơ sở."),
            ("xây dựng Đảng", "tổ chức cơ sở đảng", "đảng viên"),
            (("BD-DVM", "Bài 3."), ("BD-BTDU-XA", "Bài 3."))),
    DocSpec("24-QĐ/TW", QD, "thi hành Điều lệ Đảng", BCH, date(2021, 7, 30),
            ("Quy định hướng dẫn thi hành Điều lệ Đảng trong nhiệm kỳ khóa XIII: đảng viên, kết nạp đảng viên, tổ "
             "chức cơ sở đảng, kiểm tra, giám sát và kỷ luật. Đã được thay thế bởi Quy định 232-QĐ/TW.",),
            ("Về đảng viên: điều kiện, thủ tục kết nạp, đảng viên dự bị.",
             "Về nguyên tắc tổ chức và cơ cấu tổ chức của Đảng.",
             "Về tổ chức cơ sở đảng, kiểm tra, giám sát và kỷ luật."),
            ("Điều lệ Đảng", "đảng viên"),
            (("BD-DVM", "Bài 4."),)),
    DocSpec("232-QĐ/TW", QD, "thi hành Điều lệ Đảng", BCH, date(2025, 1, 20),
            ("Quy định thi hành Điều lệ Đảng ban hành năm 2025, thay thế Quy định 24-QĐ/TW ngày 30/7/2021, cập nhật "
             "các quy định về đảng viên, tổ chức cơ sở đảng, kiểm tra, giám sát và kỷ luật.",),
            ("Về đảng viên và kết nạp đảng viên.", "Về tổ chức cơ sở đảng.",
             "Về kiểm tra, giám sát và kỷ luật của Đảng."),
            ("Điều lệ Đảng", "đảng viên")),
    DocSpec("144-QĐ/TW", QD, "về chuẩn mực đạo đức cách mạng của cán bộ, đảng viên trong giai đoạn mới", BCT,
            date(2024, 5, 9),
            ("Quy định các chuẩn mực đạo đức cách mạng của cán bộ, đảng viên trong giai đoạn mới: trung thành với "
             "Đảng, Tổ quốc và Nhân dân; cần, kiệm, liêm, chính, chí công vô tư; gương mẫu, nêu gương.",),
            ("Trung thành, kiên định lý tưởng cách mạng.", "Cần, kiệm, liêm, chính, chí công vô tư.",
             "Gương mẫu, nêu gương trong công tác và đời sống.", "Đoàn kết, khiêm tốn, tôn trọng Nhân dân."),
            ("đạo đức cách mạng", "nêu gương"),
            (("BD-DVM", "Bài 5."),)),
    DocSpec("05-CT/TW", CT, "về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", BCT,
            date(2016, 5, 15),
            ("Chỉ thị yêu cầu đưa việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh thành việc làm "
             "tự giác, thường xuyên của các cấp ủy, tổ chức đảng, cán bộ, đảng viên.",),
            ("Cấp ủy, người đứng đầu gương mẫu đi đầu.", "Gắn với việc thực hiện nhiệm vụ chính trị của từng đơn vị."),
            ("tư tưởng Hồ Chí Minh", "nêu gương"),
            (("BD-DVM", "Bài 5."),)),
    DocSpec("01-KL/TW", KL, "về tiếp tục thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị khóa XII về đẩy mạnh học "
            "tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", BCT, date(2021, 5, 18),
            ("Kết luận tiếp tục thực hiện Chỉ thị 05-CT/TW trong nhiệm kỳ khóa XIII, gắn học tập và làm theo Bác "
             "với xây dựng, chỉnh đốn Đảng và hệ thống chính trị.",),
            (), ("tư tưởng Hồ Chí Minh",),
            (("BD-DVM", "Bài 5."),)),
    DocSpec("26-NQ/TW", NQ, "về tập trung xây dựng đội ngũ cán bộ các cấp, nhất là cấp chiến lược, đủ phẩm chất, "
            "năng lực và uy tín, ngang tầm nhiệm vụ", BCH, date(2018, 5, 19),
            ("Nghị quyết Hội nghị Trung ương 7 khóa XII về xây dựng đội ngũ cán bộ các cấp, đổi mới công tác đánh "
             "giá, quy hoạch, đào tạo, bồi dưỡng, luân chuyển cán bộ.",),
            ("Đổi mới công tác đánh giá cán bộ.", "Nâng cao chất lượng quy hoạch, đào tạo, bồi dưỡng cán bộ.",
             "Kiểm soát quyền lực trong công tác cán bộ."),
            ("công tác cán bộ", "quy hoạch", "đào tạo, bồi dưỡng"),
            (("BD-LDQL-XA", "Bài 1."), ("BD-BTDU-XA", "Bài 1."))),
    DocSpec("35-CT/TW", CT, "về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng", BCT,
            date(2024, 6, 14),
            ("Chỉ thị định hướng việc chuẩn bị và tổ chức đại hội đảng bộ các cấp nhiệm kỳ 2025 - 2030: xây dựng "
             "văn kiện, công tác nhân sự, tổ chức đại hội.",),
            ("Chuẩn bị văn kiện đại hội.", "Chuẩn bị nhân sự cấp ủy.", "Tổ chức đại hội và bầu cử."),
            ("đại hội đảng", "công tác cán bộ"),
            (("BD-BTDU-XA", "Bài 2."),)),
    DocSpec("21-KL/TW", KL, "về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị; kiên quyết ngăn chặn, đẩy "
            "lùi, xử lý nghiêm cán bộ, đảng viên suy thoái về tư tưởng chính trị, đạo đức, lối sống, biểu hiện "
            "\"tự diễn biến\", \"tự chuyển hóa\"", BCH, date(2021, 10, 25),
            ("Kết luận Hội nghị Trung ương 4 khóa XIII về xây dựng, chỉnh đốn Đảng, ngăn chặn, đẩy lùi suy thoái "
             "về tư tưởng chính trị, đạo đức, lối sống.",),
            (), ("xây dựng Đảng", "chỉnh đốn Đảng"),
            (("BD-BTDU-XA", "Bài 3."),)),
    DocSpec("59-NQ/TW", NQ, "về hội nhập quốc tế trong tình hình mới", BCT, date(2025, 1, 24),
            ("Nghị quyết xác định hội nhập quốc tế là động lực quan trọng để phát triển đất nước trong kỷ nguyên "
             "mới, chuyển từ tiếp nhận sang đóng góp, chủ động tham gia xây dựng các thể chế đa phương.",),
            ("Hội nhập kinh tế quốc tế là trọng tâm.", "Hội nhập trong các lĩnh vực khác toàn diện, sâu rộng."),
            ("hội nhập quốc tế", "ASEAN"),
            (("TH-HNQT-ASEAN", "Bài 1."),)),
    DocSpec("44-NQ/TW", NQ, "về Chiến lược bảo vệ Tổ quốc trong tình hình mới", BCH, date(2023, 11, 24),
            ("Nghị quyết Hội nghị Trung ương 8 khóa XIII về Chiến lược bảo vệ Tổ quốc trong tình hình mới, phát huy "
             "sức mạnh tổng hợp của khối đại đoàn kết toàn dân tộc và của cả hệ thống chính trị.",),
            (), ("quốc phòng", "an ninh"),
            (("BD-QPAN-DT4", "Bài 1."),)),
)
SUPERSESSION = ("24-QĐ/TW", "232-QĐ/TW", "Quy định 232-QĐ/TW thay thế Quy định 24-QĐ/TW về thi hành Điều lệ Đảng.")


def seed_documents() -> str:
    first = DOCUMENTS[0]
    present = db.session.scalar(select(Document.id).where(Document.symbol_key == domain.symbol_key(first.symbol),
                                                          Document.issued_on == first.issued))
    if present is not None:
        return "Demo documents already present; nothing changed."
    cast = _Cast.load()
    if cast is None:
        return "Demo documents not added: the demo lecturers were not found."
    editor = cast.lecturers[0]
    added: dict[str, Document] = {}
    for spec in DOCUMENTS:
        added[spec.symbol] = _add(editor, spec)
    cited = 0
    for spec in DOCUMENTS:
        for code, lesson_start in spec.cited_by:
            lesson = _lesson(code, lesson_start)
            if lesson is not None and services.cite(editor, lesson, added[spec.symbol]):
                cited += 1
    old, new, note = SUPERSESSION
    notified = services.record_change(editor, added[old], added[new], domain.Change.REPLACES, note)
    return (f"Demo documents: {len(added)} Party documents with generated PDFs, {cited} lesson citations; "
            f"{old} superseded by {new} (lecturers notified: {notified}).")


def _add(editor, spec: DocSpec) -> Document:
    kind_vi = domain.KIND_VI[spec.kind]
    blocks = [("p", DEMO_NOTE), ("h2", "Nội dung chính"), *(("p", text) for text in spec.summary)]
    if spec.points:
        blocks += [("h2", "Những điểm cần nắm"), ("ul", list(spec.points))]
    pdf = pdfdoc.render(f"{kind_vi} số {spec.symbol}", blocks, subtitle=f"{spec.title} "
                        f"(ngày {spec.issued.day:02d}/{spec.issued.month:02d}/{spec.issued.year})",
                        issuer=spec.body, author=editor.full_name)
    upload = FileStorage(io.BytesIO(pdf), filename=f"{spec.symbol.replace('/', '-')}.pdf",
                         content_type="application/pdf")
    file = save_upload(upload, allowed_kinds={"document"}, owner=editor, attached_type="document")
    data = services.DocumentData(symbol=spec.symbol, kind=spec.kind, title=spec.title, issuing_body=spec.body,
                                 issued_on=spec.issued, effective_on=spec.issued,
                                 summary="".join(f"<p>{text}</p>" for text in spec.summary), tags=list(spec.tags))
    return services.create_document(editor, data, file=file)


def _lesson(course_code: str, title_start: str) -> Lesson | None:
    return db.session.scalar(select(Lesson).join(Course, Course.id == Lesson.course_id)
                             .where(Course.code == course_code, Lesson.title.startswith(title_start))
                             .order_by(Lesson.id).limit(1))
