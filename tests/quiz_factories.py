"""Quiz test data built through the real services: a published course with a bank, an enrolled learner, a quiz."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from elearn.courses import services as course_services
from elearn.extensions import db
from elearn.quizzes import quiz_services, services
from elearn.quizzes.models import BankQuestion
from elearn.quizzes.quiz_services import QuizSettings, SlotSpec
from tests.course_factories import first_section, lecturer_of, make_course

GIFT = """$CATEGORY: $course$/top/Kiến thức chung

::MC1:: Cơ quan nào ban hành Nghị quyết Đại hội Đảng? {=Đại hội đại biểu toàn quốc của Đảng#Đúng ~Quốc hội#Sai ~Chính phủ#Sai}

::TF1:: Hà Nội là Thủ đô của nước Cộng hòa xã hội chủ nghĩa Việt Nam. {T#Đúng vậy#Sai rồi}

::SA1:: Viết tắt của "Ủy ban nhân dân"? {=UBND =ubnd}

::NUM1:: Một nhiệm kỳ Đại hội Đảng kéo dài mấy năm? {#5:0}

::MATCH1:: Ghép cấp với cơ quan. {=Tỉnh -> UBND tỉnh =Xã -> UBND xã}

::MULTI1:: Chọn các giá trị cốt lõi. {~%50%Đoàn kết ~%50%Trách nhiệm ~%-100%Cục bộ}

::ESSAY1:: Trình bày ý kiến về chuyển đổi số. {}
"""


@dataclass
class QuizSetup:
    course: object
    lecturer: object
    learner: object
    quiz: object

    def question_ids(self) -> dict[str, int]:
        return dict(db.session.execute(select(BankQuestion.name, BankQuestion.id)
                                       .where(BankQuestion.course_id == self.course.id)).all())


def make_quiz_setup(factory, *, settings: QuizSettings | None = None, names: list[str] | None = None,
                    learner=None) -> QuizSetup:
    course = make_course(factory, publish=True)
    lecturer = lecturer_of(course)
    services.import_confirm(lecturer, course, GIFT, "bank.gift", "gift")
    learner = learner or factory.user()
    course_services.enrol_person(lecturer, course, learner)
    settings = settings or QuizSettings(title="Bài kiểm tra", attempts_allowed=0, questions_per_page=1)
    quiz = quiz_services.create_quiz(lecturer, course, first_section(course), settings)
    setup = QuizSetup(course, lecturer, learner, quiz)
    ids = setup.question_ids()
    wanted = names or ["MC1", "TF1", "SA1", "NUM1", "MATCH1", "MULTI1", "ESSAY1"]
    quiz_services.set_slots(lecturer, quiz, [SlotSpec(question_id=ids[n], mark=1.0) for n in wanted])
    return setup


def enrol(setup: QuizSetup, user) -> None:
    course_services.enrol_person(setup.lecturer, setup.course, user)
