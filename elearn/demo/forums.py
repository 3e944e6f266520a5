"""Demo discussions: lively Vietnamese exchanges in two demo courses (BD-NQ57 and BD-CDS-XA).

Each course gets a pinned forum-rules thread from its lecturer, open threads where cadres from different
communes compare experience (replies, a nested reply, a quote), and a Q&A forum in the course flow whose
best answer the lecturer marks as accepted. Everything goes through the forum services with the clock set
to plausible moments of the past weeks. Idempotent: a course that already has its Q&A forum is skipped.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from elearn.accounts.models import User
from elearn.core import clock, html
from elearn.courses.models import Course, Enrolment
from elearn.extensions import db
from elearn.forums import domain, services
from elearn.forums.domain import ForumKind
from elearn.forums.models import Forum

RULES_TITLE = "Nội quy diễn đàn: trao đổi thẳng thắn, tôn trọng, đúng chủ đề"
RULES_BODY = ("<p>Chào các đồng chí,</p><p>Diễn đàn là nơi chúng ta <strong>trao đổi, học hỏi kinh nghiệm</strong> "
              "giữa các xã, phường. Đề nghị các đồng chí:</p><ul><li>Nêu rõ đơn vị và tình huống cụ thể;</li>"
              "<li>Tôn trọng ý kiến khác nhau, không dùng lời lẽ thiếu chuẩn mực;</li><li>Không đăng thông tin "
              "thuộc danh mục bí mật nhà nước, dữ liệu cá nhân của công dân.</li></ul><p>Bài viết vi phạm sẽ bị "
              "gỡ và nêu lý do. Trân trọng!</p>")

# (code, open threads [(title, body, [replies])], Q&A (forum title, question, [answers], accepted index))
CONTENT = {
    "BD-NQ57": (
        [("Xã em đưa Nghị quyết 57 vào chương trình hành động thế nào?",
          "<p>Đảng ủy xã em vừa ban hành chương trình hành động thực hiện Nghị quyết 57. Khó nhất là xác định "
          "chỉ tiêu đo được cho cấp xã. Các đồng chí ở xã khác làm thế nào?</p>",
          ["<p>Xã tôi chọn 3 chỉ tiêu: tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến, số hộ dùng thanh toán "
           "không dùng tiền mặt và số cán bộ được bồi dưỡng kỹ năng số. Dễ theo dõi hằng quý.</p>",
           "<p>Nên gắn với nghị quyết của Hội đồng nhân dân xã để có kinh phí, nếu không rất khó thực hiện.</p>",
           "<p>Đồng ý với đồng chí. Bên tôi còn giao cho từng chi bộ thôn một việc cụ thể, cuối năm chấm điểm.</p>"]),
         ("Tổ công nghệ số cộng đồng ở thôn, bản: có hiệu quả không?",
          "<p>Xã tôi đã thành lập tổ công nghệ số cộng đồng ở 12/12 thôn nhưng một số tổ hoạt động hình thức. "
          "Xin kinh nghiệm duy trì.</p>",
          ["<p>Bên tôi giao đoàn viên thanh niên làm nòng cốt, mỗi tháng có buổi hướng dẫn người dân cài ứng "
           "dụng VNeID tại nhà văn hóa. Hiệu quả hơn hẳn.</p>",
           "<p>Cần có phụ cấp nhỏ cho tổ trưởng, dù chỉ mang tính động viên.</p>"])],
        ("Hỏi đáp: đột phá khoa học, công nghệ ở cấp xã",
         "Theo đồng chí, việc gì xã có thể làm ngay trong năm nay để thực hiện tinh thần \"đột phá\" của "
         "Nghị quyết 57? Nêu một việc cụ thể ở đơn vị mình.",
         ["<p>Số hóa toàn bộ hồ sơ địa chính còn lưu giấy của xã, kết hợp với đoàn thanh niên.</p>",
          "<p>Mở điểm hỗ trợ dịch vụ công tại bộ phận một cửa, có người hướng dẫn thường trực buổi sáng.</p>",
          "<p>Ứng dụng bản đồ số để quản lý đất đai và quy hoạch, công khai cho nhân dân tra cứu.</p>"], 1),
    ),
    "BD-CDS-XA": (
        [("Kinh nghiệm nâng tỷ lệ hồ sơ trực tuyến toàn trình",
          "<p>Tỷ lệ hồ sơ trực tuyến toàn trình của phường tôi mới đạt 38%. Người dân vẫn quen đến trực tiếp. "
          "Các đồng chí có cách nào hay?</p>",
          ["<p>Xã tôi đặt máy tính và một công chức hướng dẫn ngay tại sảnh, người dân đến thì được hướng dẫn "
           "nộp trực tuyến luôn. Sau ba tháng đạt 70%.</p>",
           "<p>Nên chọn 5 thủ tục người dân làm nhiều nhất (khai sinh, chứng thực...) để làm điểm trước.</p>"]),
         ("Làm sạch dữ liệu dân cư: sai sót thường gặp",
          "<p>Khi đối chiếu dữ liệu hộ tịch với cơ sở dữ liệu quốc gia về dân cư, xã tôi gặp nhiều trường hợp "
          "sai ngày sinh, thiếu dấu trong họ tên. Xin chia sẻ cách xử lý.</p>",
          ["<p>Lập danh sách theo thôn, giao trưởng thôn xác minh trực tiếp với từng hộ, cập nhật một lần.</p>"])],
        ("Hỏi đáp: an toàn thông tin khi làm việc trên môi trường số",
         "Đồng chí xử lý thế nào khi nhận được thư điện tử giả danh cơ quan cấp trên yêu cầu đăng nhập?",
         ["<p>Không bấm vào đường dẫn, gọi điện xác minh với cơ quan gửi và báo ngay cho bộ phận công nghệ "
          "thông tin.</p>",
          "<p>Chụp màn hình, chuyển tiếp cho Sở Khoa học và Công nghệ theo hướng dẫn, rồi xóa thư.</p>"], 0),
    ),
}


def _learners(course: Course, n: int) -> list[User]:
    return list(db.session.scalars(select(User).join(Enrolment, Enrolment.user_id == User.id).where(
        Enrolment.course_id == course.id, Enrolment.state == "active").order_by(User.id).limit(n)))


def seed_forums() -> str:
    """Add the demo discussions to the demo courses that do not have them yet; returns one summary line."""
    added = []
    for code, (threads, qa) in CONTENT.items():
        course = db.session.scalar(select(Course).where(Course.code == code))
        if course is None or not course.lecturer_links or not course.sections:
            continue
        if db.session.scalar(select(Forum.id).where(Forum.course_id == course.id, Forum.title == qa[0])):
            continue
        lecturer = course.lecturer_links[0].user
        people = _learners(course, 8)
        if len(people) < 4:
            continue
        _seed_course(course, lecturer, people, threads, qa)
        added.append(code)
    if not added:
        return "Demo discussions already present (or no demo course to add them to); nothing changed."
    return f"Demo discussions added to {', '.join(added)}: a pinned rules thread, open threads and a Q&A forum each."


def _seed_course(course, lecturer, people, threads, qa) -> None:
    start = clock.now() - timedelta(days=20)
    general = services.general_forum(course)
    with clock.freeze(start):
        rules = services.start_thread(lecturer, general, RULES_TITLE, RULES_BODY)
        services.set_flag(lecturer, rules, "pinned", True)
    for t, (title, body, replies) in enumerate(threads):
        author = people[t % len(people)]
        moment = start + timedelta(days=2 + 5 * t, hours=1)
        with clock.freeze(moment):
            thread = services.start_thread(author, general, title, body)
        first_reply = None
        for i, text in enumerate(replies):
            moment += timedelta(hours=3 + 2 * i)
            writer = people[(t + i + 1) % len(people)]
            if writer.id == author.id:
                writer = people[(t + i + 2) % len(people)]
            parent = first_reply if i == 2 else None
            with clock.freeze(moment):
                if i == 1 and first_reply is not None:  # the second answer quotes the first
                    text = domain.quote_html(first_reply.author.full_name, html.text_only(first_reply.body)) + text
                post = services.reply(writer, thread, text, parent)
            first_reply = first_reply or post
        with clock.freeze(moment + timedelta(hours=5)):
            services.reply(author, thread, "<p>Cảm ơn các đồng chí, xã em sẽ áp dụng và báo lại kết quả.</p>",
                           first_reply)  # nested under the first answer
    forum_title, question, answers, accepted = qa
    section = course.sections[0]
    with clock.freeze(start + timedelta(days=1)):
        forum = services.create_forum(lecturer, section, services.ForumData(
            title=forum_title, kind=ForumKind.QA, min_posts=1, required=False,
            intro="<p>Mỗi học viên trả lời trước, sau đó sẽ xem được câu trả lời của các đồng chí khác.</p>"))
        qa_thread = services.start_thread(lecturer, forum, forum_title.split(": ", 1)[-1].capitalize(),
                                          f"<p>{question}</p>")
    chosen = None
    for i, text in enumerate(answers):
        with clock.freeze(start + timedelta(days=3 + i, hours=2)):
            post = services.reply(people[(i + 3) % len(people)], qa_thread, text)
        if i == accepted:
            chosen = post
    with clock.freeze(start + timedelta(days=3 + len(answers), hours=4)):
        services.accept_answer(lecturer, qa_thread, chosen)
        services.reply(lecturer, qa_thread, "<p>Cảm ơn các đồng chí. Câu trả lời được chọn nêu việc làm được "
                                            "ngay, ít tốn kém và dễ kiểm tra kết quả.</p>")
