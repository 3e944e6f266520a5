"""Imports every model so that metadata (and Alembic) sees the whole schema."""
from elearn.accounts.models import ApiToken, AuthSession, Profile, ProfileCategory, Unit, User, UserRole  # noqa: F401
from elearn.core.audit import AuditEntry  # noqa: F401
from elearn.core.files import StoredFile  # noqa: F401
from elearn.core.jobs import Job  # noqa: F401
from elearn.core.notifications import Notification  # noqa: F401
from elearn.courses.models import (  # noqa: F401
    Announcement,
    Course,
    CourseCategory,
    CourseLecturer,
    EmbedHost,
    Enrolment,
    Lesson,
    LessonProgress,
    Section,
    SectionItem,
)
from elearn.quizzes.models import BankQuestion, QuestionCategory, QuestionTag, QuestionVersion  # noqa: F401
