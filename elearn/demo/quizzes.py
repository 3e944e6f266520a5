"""Demo quizzes: a Vietnamese question bank for two demo courses (every question type), a pre-test and a post-test
of the Resolution 57 course (the evaluation feature compares them), a practice quiz of the AI course, and finished
attempts of some learners (post-test essays left for the lecturer's grading queue).

Runs after the demo courses; idempotent: a course whose bank already holds the demo questions is left alone.
The bank is imported from GIFT through the same importer lecturers use; attempts go through the real services.
"""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, select

from elearn.accounts.models import User
from elearn.core import clock
from elearn.courses.models import Course, Enrolment
from elearn.extensions import db
from elearn.quizzes import quiz_rules
from elearn.quizzes import quiz_services as qs
from elearn.quizzes import services as bank_services
from elearn.quizzes.models import BankQuestion, QuestionCategory

NQ57_GIFT = """// Ngân hàng câu hỏi demo: Nghị quyết số 57-NQ/TW
$CATEGORY: $course$/top/Nghị quyết 57/Bối cảnh và quan điểm

::NQ57-01 Cơ quan ban hành:: Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và
chuyển đổi số quốc gia do cơ quan nào ban hành? {
=Bộ Chính trị#Đúng. Nghị quyết do Bộ Chính trị ban hành ngày 22/12/2024.
~Quốc hội#Chưa đúng. Quốc hội ban hành luật và nghị quyết của Quốc hội.
~Chính phủ#Chưa đúng.
~Ban Bí thư#Chưa đúng.}

::NQ57-02 Năm ban hành:: Nghị quyết số 57-NQ/TW được ban hành vào năm nào? {#2024}

::NQ57-03 Đột phá quan trọng hàng đầu:: Theo Nghị quyết 57, phát triển khoa học, công nghệ, đổi mới sáng tạo và
chuyển đổi số là đột phá quan trọng hàng đầu, là động lực chính để phát triển nhanh lực lượng sản xuất hiện đại.
{T#Chưa đúng, hãy đọc lại Bài 2.#Đúng, đây là quan điểm xuyên suốt của Nghị quyết.}

::NQ57-04 Chủ thể trung tâm:: Nghị quyết 57 xác định lấy ai làm trung tâm, chủ thể của chuyển đổi số? (chọn các đáp án đúng) {
~%50%Người dân#Đúng.
~%50%Doanh nghiệp#Đúng.
~%-100%Chỉ cơ quan nhà nước#Chưa đúng.
~%-100%Chỉ các nhà khoa học#Chưa đúng.}

::NQ57-05 Điều kiện tiên quyết:: Theo Nghị quyết 57, yếu tố nào là điều kiện tiên quyết, cần đi trước một bước? {
=Thể chế
~Vốn đầu tư nước ngoài
~Đất đai
~Lao động giá rẻ}

::NQ57-06 Tư duy quản lý:: Nghị quyết 57 yêu cầu xóa bỏ tư tưởng nào trong quản lý? {
=Không quản được thì cấm#Đúng.
~Quản lý theo kết quả đầu ra
~Lấy người dân làm trung tâm
~Chấp nhận rủi ro có kiểm soát}

::NQ57-07 Dữ liệu:: Nghị quyết 57 coi dữ liệu là gì? {
=Tư liệu sản xuất chính
~Tài sản riêng của từng cơ quan
~Thông tin chỉ dùng để báo cáo
~Một loại chi phí quản lý}

::NQ57-08 Lãnh đạo của Đảng:: Sự lãnh đạo của Đảng là nhân tố quyết định thành công của đột phá phát triển khoa học,
công nghệ, đổi mới sáng tạo và chuyển đổi số. {TRUE}

::NQ57-09 Rủi ro:: Nghị quyết 57 không chấp nhận rủi ro trong nghiên cứu và thử nghiệm cái mới.
{FALSE#Chưa đúng, Nghị quyết chấp nhận rủi ro và độ trễ trong nghiên cứu.#Đúng, rủi ro có kiểm soát được chấp nhận.}

$CATEGORY: $course$/top/Nghị quyết 57/Mục tiêu và nhiệm vụ

::NQ57-10 Năm mục tiêu:: Các mục tiêu cụ thể của Nghị quyết 57 được đặt ra đến năm nào (tầm nhìn đến năm 2045)? {#2030}

::NQ57-11 Kinh tế số:: Đến năm 2030, quy mô kinh tế số đạt tối thiểu bao nhiêu phần trăm GDP? (ghi một số) {#30:2}

::NQ57-12 Xếp hạng khu vực:: Đến năm 2030, Việt Nam phấn đấu thuộc nhóm mấy nước dẫn đầu Đông Nam Á về nghiên cứu
và phát triển trí tuệ nhân tạo, đổi mới sáng tạo? (ghi một số) {#3}

::NQ57-13 Ngân sách:: Bố trí ít nhất bao nhiêu phần trăm tổng chi ngân sách hằng năm cho phát triển khoa học, công nghệ,
đổi mới sáng tạo và chuyển đổi số quốc gia? (ghi một số, từ 1 đến 10) {#2..4}

::NQ57-14 Nhiệm vụ và nội dung:: Ghép mỗi nhóm nhiệm vụ với nội dung phù hợp. {
=Hoàn thiện thể chế -> Tháo gỡ điểm nghẽn, cơ chế đặc thù
=Phát triển hạ tầng -> Hạ tầng số, hạ tầng dữ liệu
=Phát triển nhân lực -> Thu hút và trọng dụng nhân tài
=Chuyển đổi số trong hệ thống chính trị -> Dịch vụ công trực tuyến toàn trình}

::NQ57-15 Nhóm nhiệm vụ:: Chọn các nội dung thuộc nhiệm vụ, giải pháp của Nghị quyết 57. {
~%33.33333%Nâng cao nhận thức, đổi mới tư duy
~%33.33333%Tăng cường đầu tư, hoàn thiện hạ tầng
~%33.33333%Đẩy mạnh chuyển đổi số trong cơ quan của hệ thống chính trị
~%-100%Giảm đầu tư cho nghiên cứu khoa học}

::NQ57-16 An ninh mạng:: Bảo đảm an ninh mạng, an toàn thông tin, chủ quyền số quốc gia là một yêu cầu của Nghị quyết 57. {T}

::NQ57-17 Từ khóa:: Điền cụm từ còn thiếu. Nghị quyết 57 về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo
và ... quốc gia. {=chuyển đổi số =chuyen doi so}

::NQ57-18 Viết tắt:: Cụm từ "khoa học, công nghệ và đổi mới sáng tạo" thường viết tắt là gì? (viết liền, không dấu cách)
{=KHCNĐMST =KHCN*}

$CATEGORY: $course$/top/Nghị quyết 57/Vận dụng ở cơ sở

::NQ57-19 Người đứng đầu:: Ở địa phương, ai trực tiếp lãnh đạo, chỉ đạo và chịu trách nhiệm về kết quả chuyển đổi số? {
=Người đứng đầu cấp ủy, chính quyền#Đúng.
~Cán bộ công nghệ thông tin#Chưa đúng. Cán bộ chuyên môn tham mưu, người đứng đầu chịu trách nhiệm.
~Doanh nghiệp viễn thông
~Người dân}

::NQ57-20 Chỉ tiêu đánh giá:: Chỉ tiêu chuyển đổi số được đưa vào đánh giá, xếp loại tổ chức đảng và đảng viên hằng năm. {T}

::NQ57-21 Hướng dẫn làm bài:: [html]<p><strong>Phần tự luận.</strong> Câu tiếp theo được giảng viên chấm;
hãy trả lời ngắn gọn, có ví dụ ở cơ quan, đơn vị của đồng chí.</p>

::NQ57-22 Liên hệ thực tiễn:: Đồng chí hãy nêu hai việc cụ thể mà cơ quan, đơn vị hoặc địa phương mình sẽ làm để thực
hiện Nghị quyết 57 trong năm nay. {}
"""

AI_GIFT = """// Ngân hàng câu hỏi demo: Trí tuệ nhân tạo trong công tác của cán bộ, công chức
$CATEGORY: $course$/top/Trí tuệ nhân tạo/Hiểu đúng về AI

::AI-01 Khái niệm:: Trí tuệ nhân tạo tạo sinh (như các trợ lý hội thoại) có thể đưa ra thông tin sai nhưng trình bày
rất thuyết phục. {T#Chưa đúng, AI có thể "bịa" thông tin.#Đúng, vì vậy luôn phải kiểm chứng.}

::AI-02 Kiểm chứng:: Khi dùng AI hỗ trợ soạn văn bản, cán bộ cần làm gì trước khi sử dụng kết quả? {
=Kiểm tra, đối chiếu với văn bản gốc và chịu trách nhiệm về nội dung
~Dùng ngay vì AI luôn đúng
~Chỉ sửa lỗi chính tả
~Gửi cho người khác kiểm tra thay}

::AI-03 Bí mật nhà nước:: Được phép đưa tài liệu có nội dung bí mật nhà nước vào công cụ AI trên Internet để tóm tắt.
{F#Chưa đúng, tuyệt đối không.#Đúng, không bao giờ đưa bí mật nhà nước lên công cụ AI trên Internet.}

::AI-04 Dữ liệu cá nhân:: Những dữ liệu nào không được nhập vào công cụ AI công cộng? (chọn các đáp án đúng) {
~%50%Số định danh cá nhân của người dân
~%50%Hồ sơ sức khỏe của người dân
~%-100%Nội dung văn bản đã công bố công khai
~%-100%Câu hỏi chung về cách trình bày văn bản}

::AI-05 Câu lệnh tốt:: Câu lệnh (prompt) nào hiệu quả hơn khi nhờ AI soạn thảo? {
=Nêu rõ vai trò, bối cảnh, yêu cầu về thể thức và độ dài
~Chỉ viết một từ khóa
~Viết càng ngắn càng tốt, không cần bối cảnh
~Dán toàn bộ hồ sơ mật để AI hiểu rõ}

::AI-06 Ứng dụng phù hợp:: Việc nào phù hợp để AI hỗ trợ cán bộ xã? {
=Gợi ý dàn ý báo cáo tổng kết
~Quyết định xử phạt thay cán bộ
~Ký văn bản thay lãnh đạo
~Xác nhận hồ sơ hộ tịch thay công chức}

::AI-07 Trách nhiệm:: Ai chịu trách nhiệm về văn bản do cán bộ soạn với sự hỗ trợ của AI? {
=Cán bộ soạn thảo và người ký ban hành
~Nhà cung cấp công cụ AI
~Không ai chịu trách nhiệm
~Bộ phận công nghệ thông tin}

$CATEGORY: $course$/top/Trí tuệ nhân tạo/Thực hành

::AI-08 Tên gọi:: Trí tuệ nhân tạo viết tắt tiếng Anh là gì? (2 chữ cái) {=AI}

::AI-09 Số bước:: Quy trình dùng AI an toàn được giới thiệu trong khóa học gồm mấy bước (xác định việc, chuẩn bị dữ liệu
không mật, viết câu lệnh, kiểm chứng)? {#4}

::AI-10 Tỷ lệ thời gian:: Một phòng giảm thời gian soạn báo cáo từ 10 giờ xuống 6 giờ nhờ AI hỗ trợ. Thời gian giảm bao
nhiêu phần trăm? (ghi một số) {#40:1}

::AI-11 Công cụ và việc:: Ghép mỗi việc với cách dùng AI phù hợp. {
=Tóm tắt văn bản công khai -> Được dùng, sau đó đối chiếu văn bản gốc
=Văn bản có bí mật nhà nước -> Không đưa vào AI trên Internet
=Dịch thư tiếng Anh gửi đối tác -> Được dùng, nhờ người thạo ngoại ngữ đọc lại
=Hồ sơ có dữ liệu cá nhân -> Ẩn thông tin cá nhân trước khi dùng}

::AI-12 Ảo giác:: Hiện tượng AI tạo ra thông tin sai, không có thật thường được gọi là gì? (một từ tiếng Việt)
{=ảo giác =ao giac =bịa*}

::AI-13 Sao chép:: Có thể dùng nguyên văn nội dung AI tạo ra làm văn bản chính thức mà không cần đọc lại. {F}

::AI-14 Lợi ích:: Chọn các lợi ích khi dùng AI đúng cách. {
~%50%Tiết kiệm thời gian soạn thảo
~%50%Gợi ý nhiều cách diễn đạt
~%-50%Không cần hiểu nội dung công việc
~%-50%Thay thế hoàn toàn người cán bộ}

::AI-15 Kênh an toàn:: Nên ưu tiên dùng công cụ AI nào cho công việc có dữ liệu nội bộ? {
=Công cụ do cơ quan có thẩm quyền triển khai, có cam kết bảo mật
~Bất kỳ ứng dụng miễn phí nào trên mạng
~Ứng dụng do người quen giới thiệu
~Tiện ích cài từ nguồn không rõ}

::AI-16 Năm chiến lược:: Chiến lược quốc gia về nghiên cứu, phát triển và ứng dụng trí tuệ nhân tạo của Việt Nam
đặt mục tiêu đến năm nào? {#2030}

::AI-17 Mức phù hợp:: Mức độ kiểm chứng cần thiết khi dùng AI soạn văn bản có số liệu là cao. {T}

::AI-18 Phân biệt:: Ghép khái niệm với mô tả. {
=Câu lệnh -> Yêu cầu người dùng viết cho AI
=Dữ liệu huấn luyện -> Dữ liệu dùng để xây dựng mô hình
=Kiểm chứng -> Đối chiếu kết quả với nguồn tin cậy}

::AI-19 Thời gian học:: Khóa tập huấn này có thời lượng bao nhiêu giờ? {#6}

::AI-20 Từ khóa an toàn:: Điền từ còn thiếu. Dùng AI phải bảo đảm an toàn thông tin và bảo vệ dữ liệu ... {=cá nhân =ca nhan}

::AI-21 Lưu ý trước bài:: [html]<p>Các câu sau kiểm tra kỹ năng thực hành. Đọc kỹ từng tình huống.</p>

::AI-22 Tình huống:: Đồng chí được giao soạn báo cáo tình hình chuyển đổi số của xã. Hãy mô tả cách đồng chí dùng AI
hỗ trợ mà vẫn bảo đảm an toàn thông tin. {}
"""

BANKS = {"BD-NQ57": NQ57_GIFT, "TH-AI-CBCC": AI_GIFT}
PRE_TITLE = "Kiểm tra đầu vào: Nghị quyết 57-NQ/TW"
POST_TITLE = "Kiểm tra đầu ra: Nghị quyết 57-NQ/TW"
AI_TITLE = "Bài kiểm tra thực hành: Dùng AI an toàn"
REVIEW_AFTER = {"during": ["attempt"],
                "immediately_after": ["attempt", "correctness", "marks", "specific_feedback", "general_feedback",
                                      "overall_feedback"],
                "later_while_open": ["attempt", "correctness", "marks", "overall_feedback"],
                "after_close": ["attempt", "correctness", "marks", "specific_feedback", "general_feedback",
                                "right_answer", "overall_feedback"]}
BANDS = [{"min": 0, "text": "<p>Cần ôn tập lại các bài học trước khi làm lại.</p>"},
         {"min": 5, "text": "<p>Đạt yêu cầu.</p>"},
         {"min": 8, "text": "<p>Nắm vững nội dung Nghị quyết.</p>"}]


def _import_bank(course: Course) -> int:
    lecturer = db.session.get(User, min(course.lecturer_ids))
    counts = bank_services.import_confirm(lecturer, course, BANKS[course.code], f"{course.code}.gift", "gift")
    return counts.imported


def _question_ids(course: Course, category_name: str | None = None) -> list[int]:
    query = select(BankQuestion.id).where(BankQuestion.course_id == course.id, BankQuestion.deleted.is_(False))
    if category_name is not None:
        query = query.join(QuestionCategory, QuestionCategory.id == BankQuestion.category_id).where(
            QuestionCategory.name == category_name)
    return list(db.session.scalars(query.order_by(BankQuestion.id)))


def _category(course: Course, name: str) -> QuestionCategory:
    return db.session.scalar(select(QuestionCategory).where(QuestionCategory.course_id == course.id,
                                                            QuestionCategory.name == name))


def _answer(question, order, right: bool, rng: random.Random):
    """A learner's response in the page's form: the right one, or a plausible wrong one."""
    correct = quiz_rules.right_answer(question, order)
    qtype = str(question.type)
    if qtype == "essay":
        return ("Thứ nhất, số hóa toàn bộ hồ sơ thủ tục hành chính tại bộ phận một cửa. Thứ hai, hướng dẫn người dân "
                "sử dụng dịch vụ công trực tuyến và ứng dụng định danh điện tử.")
    if qtype == "description":
        return None
    if right:
        if qtype == "numerical":
            return str(correct).split(" ±")[0]
        return correct
    if qtype == "multichoice":
        if question.single:
            return next(p for p in range(len(order)) if p != correct)
        wrong = [p for p in range(len(order)) if p not in correct]
        return wrong[:1] + correct[:1]
    if qtype == "truefalse":
        return not correct
    if qtype == "matching":
        keys = list(correct)
        values = [correct[k] for k in keys]
        rng.shuffle(values)
        return dict(zip(keys, values, strict=True))
    return "không nhớ" if qtype == "shortanswer" else "1"


def _take(learner, quiz, skill: float, when, rng: random.Random) -> None:
    with clock.freeze(when):
        attempt = qs.start_attempt(learner, quiz)
    answers = {}
    for item in attempt.answers:
        question = qs.question_of(item)
        value = _answer(question, item.choice_order, rng.random() < skill, rng)
        if value is not None:
            answers[str(item.slot)] = value
    with clock.freeze(when + timedelta(minutes=6)):
        qs.save_answers(learner, attempt, answers, seq=1)
    with clock.freeze(when + timedelta(minutes=12)):
        qs.submit_attempt(learner, attempt)


def _grade_essays(lecturer, quiz, learners, when) -> int:
    """The lecturer marks the essays of some learners' post-tests (the others stay in the grading queue)."""
    graded = 0
    for n, learner in enumerate(learners):
        for attempt in qs.attempts_of(quiz, learner.id):
            for answer in attempt.answers:
                if answer.qtype == "essay" and answer.manual_mark is None:
                    answer.manual_mark = round(answer.max_mark * (0.5 + 0.125 * n), 2)
                    answer.comment = "<p>Có liên hệ thực tiễn; cần nêu rõ thời hạn và người thực hiện.</p>"
                    answer.graded_by_id, answer.graded_at = lecturer.id, when
                    graded += 1
            qs.refresh_totals(attempt)
            qs.update_result(quiz, learner.id)
    db.session.commit()
    return graded


def _learners(course: Course) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.course_id == course.id, Enrolment.state == "active",
               User.id.not_in(course.lecturer_ids)).order_by(User.id)))


def seed_quizzes() -> str:
    courses = {c.code: c for c in db.session.scalars(select(Course).where(Course.code.in_(list(BANKS))))}
    if len(courses) < len(BANKS) or any(not c.sections for c in courses.values()):
        return "Demo quizzes not added: the demo courses BD-NQ57 and TH-AI-CBCC are missing."
    if db.session.scalar(select(func.count()).select_from(BankQuestion)
                         .where(BankQuestion.course_id == courses["BD-NQ57"].id, BankQuestion.name.like("NQ57-%"))):
        return "Demo quizzes already present; nothing changed."
    now = clock.now()
    imported = sum(_import_bank(course) for course in courses.values())
    rng = random.Random(57)

    nq57 = courses["BD-NQ57"]
    lecturer = db.session.get(User, min(nq57.lecturer_ids))
    opened = now - timedelta(days=45)
    with clock.freeze(opened - timedelta(days=1)):
        pre = qs.create_quiz(lecturer, nq57, nq57.sections[0], qs.QuizSettings(
            title=PRE_TITLE, intro="<p>Bài kiểm tra kiến thức trước khi học, không tính vào kết quả khóa học.</p>",
            role="pretest", time_limit=15 * 60, attempts_allowed=1, questions_per_page=5, shuffle_questions=True,
            max_grade=10, review_options=REVIEW_AFTER, open_at=opened), required=False)
        post = qs.create_quiz(lecturer, nq57, nq57.sections[-1], qs.QuizSettings(
            title=POST_TITLE, intro="<p>Bài kiểm tra cuối khóa. Điểm đạt: 5/10. Được làm tối đa 2 lần, lấy điểm cao "
                                    "nhất.</p>",
            role="posttest", time_limit=30 * 60, attempts_allowed=2, grading_method="highest", max_grade=10,
            pass_mark=5, questions_per_page=4, navigation="free", shuffle_questions=True, review_options=REVIEW_AFTER,
            feedback_bands=BANDS, open_at=opened, close_at=now + timedelta(days=30)))
        context = _category(nq57, "Bối cảnh và quan điểm")
        goals = _category(nq57, "Mục tiêu và nhiệm vụ")
        practice = _category(nq57, "Vận dụng ở cơ sở")
        qs.set_slots(lecturer, pre, [qs.SlotSpec(category_id=context.id, count=5),
                                     qs.SlotSpec(category_id=goals.id, count=5)])
        qs.set_slots(lecturer, post, [qs.SlotSpec(category_id=context.id, count=6),
                                      qs.SlotSpec(category_id=goals.id, count=7),
                                      *[qs.SlotSpec(question_id=qid, mark=1 if n < 2 else 3)
                                        for n, qid in enumerate(_question_ids(nq57, practice.name))]])
    learners = _learners(nq57)[:8]
    for n, learner in enumerate(learners):
        _take(learner, pre, 0.35 + 0.05 * (n % 3), opened + timedelta(days=1, hours=n), rng)
    taken_post = 0
    for n, learner in enumerate(learners[:6]):
        _take(learner, post, 0.6 + 0.06 * n, now - timedelta(days=5, hours=n), rng)
        taken_post += 1
    graded = _grade_essays(lecturer, post, learners[:4], now - timedelta(days=3))

    ai = courses["TH-AI-CBCC"]
    ai_lecturer = db.session.get(User, min(ai.lecturer_ids))
    with clock.freeze(now - timedelta(days=20)):
        quiz = qs.create_quiz(ai_lecturer, ai, ai.sections[-1], qs.QuizSettings(
            title=AI_TITLE, intro="<p>Làm bài không giới hạn số lần để ôn tập.</p>", attempts_allowed=0,
            grading_method="highest", pass_mark=6, max_grade=10, questions_per_page=0, review_options=REVIEW_AFTER,
            feedback_bands=BANDS))
        qs.set_slots(ai_lecturer, quiz, [qs.SlotSpec(category_id=_category(ai, "Hiểu đúng về AI").id, count=5),
                                         qs.SlotSpec(category_id=_category(ai, "Thực hành").id, count=5)])
    ai_learners = _learners(ai)[:4]
    for n, learner in enumerate(ai_learners):
        _take(learner, quiz, 0.5 + 0.1 * n, now - timedelta(days=10, hours=n), rng)
    db.session.commit()
    return (f"Demo quizzes: {imported} questions in the banks of BD-NQ57 and TH-AI-CBCC (every type); "
            f"pre-test and post-test in BD-NQ57 ({len(learners)} and {taken_post} finished attempts, {graded} post-test "
            f"essays graded, {taken_post - graded} waiting for the lecturer), practice quiz in TH-AI-CBCC "
            f"({len(ai_learners)} attempts).")
