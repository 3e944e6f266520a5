"""Demo assignment: the reflection essay (bài thu hoạch) of the Resolution 57 course, with submitted essays,
some graded with the rubric, a unit head who grades their commune's cadres, and two near-copies that the
similarity check flags (and no other pair).

Runs after the demo courses; idempotent: when the course already has this assignment, nothing changes.
"""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from elearn.accounts.models import Profile, Unit, User
from elearn.assignments import domain, grading, services, similarity_check
from elearn.assignments.models import Assignment
from elearn.core import clock
from elearn.courses.models import Course, Enrolment
from elearn.extensions import db

COURSE_CODE = "BD-NQ57"
TITLE = "Bài thu hoạch: Vận dụng Nghị quyết số 57-NQ/TW vào thực tiễn công tác"
INSTRUCTIONS = """<p>Sau khi học tập Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, mỗi đồng chí viết
bài thu hoạch gồm ba phần: <strong>những nội dung cơ bản đã tiếp thu</strong>; <strong>liên hệ với thực tiễn
công tác</strong> của cơ quan, đơn vị, địa phương và của bản thân; <strong>cam kết, kế hoạch hành động</strong>
cụ thể, có thời hạn.</p><p>Độ dài từ 60 đến 2.000 từ. Có thể đính kèm tệp PDF, DOCX hoặc ảnh.</p>"""
RUBRIC = ("Hiểu đúng, đủ nội dung cơ bản của Nghị quyết | Tốt: 4 | Đạt: 2 | Chưa đạt: 0\n"
          "Liên hệ thực tiễn cơ quan, đơn vị và bản thân | Tốt: 3 | Đạt: 2 | Chưa đạt: 0\n"
          "Cam kết, kế hoạch hành động cụ thể, khả thi | Tốt: 3 | Đạt: 1 | Chưa đạt: 0")

# (learned, application, commitments): distinct essays; ESSAYS[0] is copied almost word for word by COPY.
ESSAYS = (
    ("Nghị quyết 57 xác định khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là đột phá quan trọng hàng đầu, "
     "là động lực chính để phát triển nhanh lực lượng sản xuất hiện đại. Tôi tiếp thu sâu sắc quan điểm lấy người dân "
     "và doanh nghiệp làm trung tâm, thể chế là điều kiện tiên quyết và dữ liệu là tư liệu sản xuất mới.",
     "Ở xã Minh Quang, tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến còn thấp vì người dân vùng cao chưa quen dùng điện "
     "thoại thông minh. Là công chức văn phòng - thống kê, tôi trực tiếp tiếp nhận hồ sơ tại bộ phận một cửa nên thấy "
     "rõ việc số hóa kết quả giải quyết thủ tục còn chậm và dữ liệu dân cư chưa được cập nhật thường xuyên.",
     "Thứ nhất, đến hết quý II số hóa toàn bộ hồ sơ một cửa còn tồn đọng. Thứ hai, mỗi tháng phối hợp Đoàn Thanh niên "
     "tổ chức một buổi hướng dẫn người dân ở các thôn cài đặt và sử dụng ứng dụng định danh điện tử. Thứ ba, tự học "
     "để hoàn thành chứng chỉ kỹ năng số cơ bản trước tháng 9."),
    ("Tôi nắm được mục tiêu đến năm 2030 Việt Nam thuộc nhóm ba nước dẫn đầu Đông Nam Á về đổi mới sáng tạo, kinh tế số "
     "chiếm ít nhất 30% GDP; tầm nhìn đến năm 2045 trở thành nước phát triển, thu nhập cao. Nghị quyết đòi hỏi xóa bỏ "
     "tư tưởng không quản được thì cấm, chấp nhận rủi ro trong nghiên cứu và thử nghiệm cái mới.",
     "Sở Tài chính đang vận hành nhiều phần mềm riêng lẻ, số liệu ngân sách phải tổng hợp thủ công bằng bảng tính. "
     "Phòng tôi phụ trách quản lý giá và công sản, việc tra cứu hồ sơ tài sản công của các đơn vị mất nhiều thời gian "
     "vì chưa có cơ sở dữ liệu dùng chung.",
     "Đề xuất với lãnh đạo Sở xây dựng cơ sở dữ liệu tài sản công của tỉnh trong năm nay; chủ trì rà soát, chuẩn hóa "
     "danh mục tài sản của 20 đơn vị sự nghiệp trước ngày 30 tháng 10; tham gia lớp bồi dưỡng phân tích dữ liệu."),
    ("Điểm mới tôi tâm đắc là Nghị quyết coi thể chế là điểm nghẽn lớn nhất, yêu cầu hoàn thiện pháp luật về khoa học "
     "công nghệ theo hướng khuyến khích, cơ chế đặc thù về tài chính, khoán chi đến sản phẩm cuối cùng và bảo vệ cán "
     "bộ dám nghĩ, dám làm vì lợi ích chung.",
     "Phường Hà Giang 1 đã đưa camera giám sát an ninh trật tự vào vận hành nhưng dữ liệu chưa kết nối với công an "
     "tỉnh. Là Phó Chủ tịch phường phụ trách văn hóa - xã hội, tôi thấy việc chi trả an sinh xã hội không dùng tiền "
     "mặt mới đạt khoảng một nửa số đối tượng.",
     "Năm nay, nâng tỷ lệ chi trả trợ cấp không dùng tiền mặt lên 90%; chỉ đạo lập bản đồ số các điểm di tích, "
     "văn hóa trên địa bàn; mỗi quý báo cáo Đảng ủy phường kết quả thực hiện chuyển đổi số trong lĩnh vực phụ trách."),
    ("Nghị quyết nêu rõ phát triển hạ tầng số, hạ tầng dữ liệu là nhiệm vụ then chốt; bảo đảm an ninh mạng, an toàn "
     "thông tin, chủ quyền số quốc gia. Tôi hiểu nguồn nhân lực chất lượng cao và nhân tài là yếu tố quyết định thành "
     "công của đột phá.",
     "Trường Chính trị tỉnh đang chuyển một phần chương trình bồi dưỡng sang hình thức trực tuyến để cán bộ ở xã xa "
     "trung tâm học được mà không phải đi lại. Khó khăn là đường truyền ở nhiều thôn còn yếu và bài giảng cần thiết kế "
     "lại cho phù hợp với điện thoại.",
     "Trong học kỳ tới, biên soạn lại hai chuyên đề do tôi phụ trách thành bài học ngắn có video dưới mười phút; "
     "xây dựng ngân hàng câu hỏi ôn tập; khảo sát học viên sau mỗi khóa để điều chỉnh nội dung."),
    ("Tôi tiếp thu được các nhóm nhiệm vụ, giải pháp: nâng cao nhận thức, đổi mới tư duy; hoàn thiện thể chế; tăng "
     "đầu tư cho khoa học công nghệ; phát triển nhân lực; thúc đẩy chuyển đổi số trong hoạt động của hệ thống chính trị "
     "và tăng cường hợp tác quốc tế.",
     "Xã Lâm Bình có nhiều hộ trồng cam, chè nhưng bán hàng chủ yếu qua thương lái nên giá bấp bênh. Là cán bộ khuyến "
     "nông, tôi thấy có thể hướng dẫn hợp tác xã đưa sản phẩm lên sàn thương mại điện tử và gắn mã truy xuất nguồn gốc.",
     "Trước vụ thu hoạch cam, hướng dẫn hai hợp tác xã mở gian hàng trên sàn thương mại điện tử; phối hợp bưu điện "
     "xã tổ chức giao hàng; theo dõi và báo cáo doanh thu bán trực tuyến sau sáu tháng."),
    ("Nghị quyết yêu cầu người đứng đầu cấp ủy, chính quyền trực tiếp lãnh đạo, chỉ đạo và chịu trách nhiệm về kết quả "
     "chuyển đổi số ở cơ quan, địa phương mình; đưa chỉ tiêu chuyển đổi số vào đánh giá, xếp loại tổ chức đảng và đảng "
     "viên hằng năm.",
     "Ban Tổ chức Tỉnh ủy đang quản lý hồ sơ cán bộ chủ yếu bằng giấy. Việc tra cứu quá trình công tác, đào tạo, bồi "
     "dưỡng của cán bộ để phục vụ quy hoạch còn mất nhiều ngày, dễ sai sót khi tổng hợp báo cáo.",
     "Tham mưu số hóa hồ sơ cán bộ diện Ban Thường vụ Tỉnh ủy quản lý trong năm nay; đề xuất mẫu báo cáo điện tử về "
     "kết quả đào tạo, bồi dưỡng; cá nhân hoàn thành khóa học kỹ năng số trong quý III."),
    ("Qua học tập tôi nhận thức rằng chuyển đổi số không chỉ là việc của ngành công nghệ thông tin mà là cuộc cách "
     "mạng toàn diện, đòi hỏi mỗi cán bộ, đảng viên phải tự học, tự đổi mới phương pháp làm việc, gương mẫu sử dụng "
     "các nền tảng số.",
     "Ở Ủy ban Mặt trận Tổ quốc xã, việc lấy ý kiến nhân dân vẫn làm bằng phiếu giấy, tổng hợp chậm. Các hội đoàn thể "
     "có nhóm Zalo nhưng thông tin chưa được chắt lọc, có lúc lan truyền tin sai.",
     "Lập kênh thông tin chính thức của Mặt trận xã trên mạng xã hội trước tháng 8; thử lấy ý kiến nhân dân bằng biểu "
     "mẫu trực tuyến ở hai thôn; phối hợp công an xã tuyên truyền phòng chống lừa đảo trên mạng mỗi quý một lần."),
)
# The near-copy of ESSAYS[0]: a few words changed, one sentence added.
COPY = (
    ESSAYS[0][0].replace("Tôi tiếp thu sâu sắc", "Bản thân tôi tiếp thu sâu sắc"),
    ESSAYS[0][1].replace("Là công chức văn phòng - thống kê, tôi", "Là công chức tư pháp - hộ tịch, tôi"),
    ESSAYS[0][2] + " Thứ tư, gương mẫu thực hiện và vận động gia đình cùng tham gia.",
)
# (essay, rubric levels or None when not graded yet, feedback)
GRADES = (
    ([0, 1, 0], "Bài viết nắm chắc quan điểm của Nghị quyết, cam kết cụ thể, có thời hạn."),
    ([1, 0, 1], "Liên hệ thực tiễn tốt; phần cam kết cần lượng hóa rõ hơn."),
    ([0, 0, 0], "Bài thu hoạch xuất sắc, có số liệu cụ thể."),
    ([2, 1, 1], "Nội dung tiếp thu còn sơ lược; đề nghị đọc lại phần mục tiêu và nhiệm vụ."),
)


def seed_assignments() -> str:
    course = db.session.scalar(select(Course).where(Course.code == COURSE_CODE))
    if course is None or not course.sections:
        return "Demo assignment not added: the demo course BD-NQ57 is missing."
    existing = db.session.scalar(select(Assignment).where(Assignment.course_id == course.id, Assignment.title == TITLE))
    if existing is not None:
        return "Demo assignment already present; nothing changed."
    lecturer = db.session.get(User, min(course.lecturer_ids))
    learners = list(db.session.scalars(
        select(User).join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.course_id == course.id, Enrolment.state == "active").order_by(User.id)))
    if len(learners) < len(ESSAYS) + 1:
        return "Demo assignment not added: too few learners in BD-NQ57."
    now = clock.now()
    due = (now - timedelta(days=10)).replace(hour=10, minute=0, second=0, microsecond=0)
    data = services.AssignmentData(title=TITLE, instructions=INSTRUCTIONS, due_at=due, late_until=due + timedelta(days=30),
                                   min_words=60, max_words=2000, rubric=domain.parse_rubric_text(RUBRIC), pass_score=5)
    with clock.freeze(due - timedelta(days=40)):
        assignment = services.create_assignment(lecturer, course.sections[-1], data)
    texts = [*ESSAYS, COPY]
    writers = learners[:len(texts)]
    for n, (person, (learned, applied, commits)) in enumerate(zip(writers, texts, strict=True)):
        with clock.freeze(due - timedelta(days=12 - n, hours=n)):
            services.save_draft(person, assignment, sections={"learned": f"<p>{learned}</p>",
                                                              "application": f"<p>{applied}</p>",
                                                              "commitments": _plan(commits)})
            services.submit(person, assignment, check_similarity=False)
    # One more learner keeps a draft.
    with clock.freeze(due - timedelta(days=2)):
        services.save_draft(learners[len(texts)], assignment,
                            sections={"learned": "<p>Nghị quyết 57 xác định khoa học công nghệ là đột phá.</p>"})
    for person, (levels, feedback) in zip(writers, GRADES, strict=False):
        with clock.freeze(due + timedelta(days=3)):
            services.grade(lecturer, services.submission_of(assignment, person.id), levels=levels,
                           feedback=f"<p>{feedback}</p>")
    head = _unit_head(course, writers)
    if head is not None:
        with clock.freeze(due - timedelta(days=20)):
            grading.add_delegate(lecturer, course, head)
    flagged = similarity_check.run_similarity(assignment.id)  # the two near-copies, and no other pair
    return (f"Demo assignment: “{TITLE}” in {COURSE_CODE} with {len(texts)} submitted essays "
            f"({len(GRADES)} graded with the rubric), 1 draft, {flagged} near-copy pair flagged"
            + (f", unit head {head.username} grades {head.profile.unit.name}." if head is not None else "."))


def _plan(text: str) -> str:
    """The action plan as a list, one commitment per sentence."""
    items = [part.strip().rstrip(".;") for part in re.split(r"(?<=[.;])\s+", text) if part.strip()]
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _unit_head(course: Course, writers: list[User]) -> User | None:
    """A commune Party secretary (or another leader) of a unit where some writer works, not teaching the course."""
    unit_ids = {w.profile.unit_id for w in writers if w.profile is not None}
    return db.session.scalar(
        select(User).join(Profile, Profile.user_id == User.id).join(Unit, Unit.id == Profile.unit_id)
        .where(Profile.unit_id.in_(unit_ids), Profile.position.like("Bí thư%"), User.id.not_in(course.lecturer_ids),
               User.id.not_in([w.id for w in writers]))
        .order_by(User.id).limit(1))
