"""Imports every model so that metadata (and Alembic) sees the whole schema."""
from elearn.accounts.models import ApiToken, AuthSession, Profile, ProfileCategory, Unit, User, UserRole  # noqa: F401
from elearn.assignments.models import (  # noqa: F401
    Assignment,
    Commitment,
    Grade,
    GradingDelegate,
    SimilarityPair,
    Submission,
    SubmissionFile,
)
from elearn.certificates.models import Certificate, CertificateTemplate, SerialCounter  # noqa: F401
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
from elearn.documents.models import Document, DocumentChange, DocumentReview, DocumentTag, LessonDocument  # noqa: F401
from elearn.forums.models import DigestMark, Flag, Forum, Post, ReadMark, Subscription, Thread  # noqa: F401
from elearn.live.models import (  # noqa: F401
    LiveEvent,
    LiveMessage,
    LiveParticipant,
    LivePoll,
    LivePollVote,
    LivePresence,
    LiveSession,
    LiveUpvote,
)
from elearn.quizzes.models import BankQuestion, QuestionCategory, QuestionTag, QuestionVersion  # noqa: F401
from elearn.quizzes.quiz_models import Attempt, AttemptAnswer, Quiz, QuizOverride, QuizResult, QuizSlot  # noqa: F401
