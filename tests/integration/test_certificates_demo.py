"""seed-demo issues certificates for the demo completions, one of them revoked; seeding again changes nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from elearn.certificates.models import Certificate
from elearn.courses.models import Enrolment
from elearn.demo.certificates import seed_certificates
from elearn.extensions import db


def test_demo_certificates(demo_seeded, client):
    line = next(line for line in demo_seeded if line.startswith("Demo certificates"))
    certs = db.session.scalars(select(Certificate)).all()
    completed = db.session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.completed_at.is_not(None)))
    assert certs and len(certs) == completed
    assert len({c.enrolment_id for c in certs}) == len(certs)
    revoked = [c for c in certs if c.revoked_at is not None]
    assert len(revoked) == 1 and revoked[0].serial in line
    assert "verify-revoked" in client.get(f"/verify/{revoked[0].code}").get_data(as_text=True)
    valid = next(c for c in certs if c.revoked_at is None)
    assert "verify-valid" in client.get(f"/verify/{valid.code}").get_data(as_text=True)
    assert seed_certificates().startswith("Demo certificates already present")
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == len(certs)
