"""Running the similarity check of an assignment (a background job) and reading the pairs it flagged.

The comparison itself is pure (similarity.py); this module feeds it the submitted texts and stores the pairs.
"""
from __future__ import annotations

from sqlalchemy import delete, select

from elearn.accounts.models import User
from elearn.assignments import similarity
from elearn.assignments.domain import State
from elearn.assignments.models import Assignment, SimilarityPair, Submission
from elearn.assignments.services import comparable_text
from elearn.core import clock, html
from elearn.extensions import db


def run_similarity(assignment_id: int) -> int:
    """Compare every submitted essay of the assignment; replace the stored pairs. Returns the pairs flagged."""
    assignment = db.session.get(Assignment, assignment_id)
    rows = db.session.scalars(select(Submission).where(Submission.assignment_id == assignment_id,
                                                       Submission.state.in_([State.SUBMITTED, State.GRADED]))).all()
    texts = {s.id: comparable_text(assignment, s) for s in rows}
    headings = [html.text_only(assignment.instructions), assignment.title]
    found = similarity.similar_pairs(texts, assignment.similarity_threshold, ignore_texts=headings)
    db.session.execute(delete(SimilarityPair).where(SimilarityPair.assignment_id == assignment_id))
    now = clock.now()
    for a, b, result in found:
        db.session.add(SimilarityPair(assignment_id=assignment_id, first_id=a, second_id=b,
                                      score=round(result.containment, 4), jaccard=round(result.jaccard, 4),
                                      passages=[p.to_json() for p in result.passages[:50]], computed_at=now))
    assignment.similarity_checked_at = now
    db.session.commit()
    return len(found)


def start_similarity(actor: User | None, assignment: Assignment):
    """Run the similarity check as a background job (inline in tests); returns the Job."""
    from elearn.core import jobs

    job = jobs.Job(kind="assignment_similarity", created_by_id=getattr(actor, "id", None),
                   params={"assignment_id": assignment.id}, total=1)
    db.session.add(job)
    jobs.start(job, _similarity_job)
    return job


def _similarity_job(job_id: int) -> None:
    from elearn.core.jobs import Job

    job = db.session.get(Job, job_id)
    job.state = "running"
    db.session.commit()
    flagged = run_similarity(job.params["assignment_id"])
    job = db.session.get(Job, job_id)
    job.state, job.done, job.finished_at, job.result = "done", 1, clock.now(), {"pairs": flagged}
    db.session.commit()


def similarity_pairs(actor: User, assignment: Assignment) -> list[SimilarityPair]:
    """Flagged pairs of which `actor` may grade both submissions (a delegate sees their unit's pairs only)."""
    from elearn.core import authz

    rows = db.session.scalars(select(SimilarityPair).where(SimilarityPair.assignment_id == assignment.id)
                              .order_by(SimilarityPair.score.desc(), SimilarityPair.id)).all()
    return [p for p in rows if authz.can(actor, "submission.grade", p.first)
            and authz.can(actor, "submission.grade", p.second)]


def pairs_of(submission: Submission) -> list[SimilarityPair]:
    return list(db.session.scalars(select(SimilarityPair).where(
        (SimilarityPair.first_id == submission.id) | (SimilarityPair.second_id == submission.id))
        .order_by(SimilarityPair.score.desc())))

