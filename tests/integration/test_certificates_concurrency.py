"""Serial numbers and "one certificate per enrolment" under real concurrency (PostgreSQL: the serial
counter row is locked with SELECT ... FOR UPDATE; the unique current_enrolment_id lets one issue through)."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from elearn.accounts.models import User
from elearn.certificates import services
from elearn.certificates.models import Certificate
from elearn.courses.models import Enrolment
from elearn.extensions import db
from tests import services as test_services
from tests.certificate_factories import completed_learner, course_with_template

pytestmark = pytest.mark.skipif(test_services.BACKEND != "postgres",
                                reason="needs PostgreSQL (ELEARN_TEST_BACKEND=postgres with TEST_DATABASE_URL)")


def _race(app, admin_id: int, enrolment_ids: list[int]) -> list:
    barrier = threading.Barrier(len(enrolment_ids))
    results: list = [None] * len(enrolment_ids)

    def work(i: int, enrolment_id: int) -> None:
        with app.app_context():
            try:
                admin = db.session.get(User, admin_id)
                enrolment = db.session.get(Enrolment, enrolment_id)
                services.template_for(enrolment.course)  # warm up before the start line
                barrier.wait(timeout=30)
                cert, created = services.issue(admin, enrolment)
                results[i] = (cert.id, cert.serial, created)
            except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(i, eid)) for i, eid in enumerate(enrolment_ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_issuing_twice_concurrently_for_one_enrolment_gives_one_certificate(app, factory):
    admin = factory.admin()
    course, _t = course_with_template(factory, admin)
    enrolment = completed_learner(factory, course)
    results = _race(app, admin.id, [enrolment.id] * 6)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({r[0] for r in results}) == 1 and sum(r[2] for r in results) == 1
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
    assert db.session.scalar(select(Certificate.number)) == 1  # the losers' numbers were rolled back


def test_concurrent_issues_get_distinct_consecutive_serials(app, factory):
    admin = factory.admin()
    course, _t = course_with_template(factory, admin)
    enrolments = [completed_learner(factory, course) for _ in range(8)]
    results = _race(app, admin.id, [e.id for e in enrolments])
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(db.session.scalars(select(Certificate.number)))
    assert numbers == list(range(1, 9))
