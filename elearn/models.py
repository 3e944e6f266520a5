"""Imports every model so that metadata (and Alembic) sees the whole schema."""
from elearn.accounts.models import ApiToken, AuthSession, Profile, ProfileCategory, Unit, User, UserRole  # noqa: F401
from elearn.core.audit import AuditEntry  # noqa: F401
from elearn.core.jobs import Job  # noqa: F401
