"""assignments: reflection essays, submissions, rubrics, grades

Revision ID: 0009_assignments
Revises: 0008_forums
Create Date: 2026-12-02 06:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0009_assignments'
down_revision = '0008_forums'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('template', sa.String(length=20), nullable=False),
    sa.Column('instructions', sa.Text(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('late_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('allow_text', sa.Boolean(), nullable=False),
    sa.Column('allow_files', sa.Boolean(), nullable=False),
    sa.Column('max_files', sa.Integer(), nullable=False),
    sa.Column('min_words', sa.Integer(), nullable=True),
    sa.Column('max_words', sa.Integer(), nullable=True),
    sa.Column('allow_resubmit', sa.Boolean(), nullable=False),
    sa.Column('grading', sa.String(length=20), nullable=False),
    sa.Column('rubric', sa.JSON(), nullable=False),
    sa.Column('max_score', sa.Float(), nullable=True),
    sa.Column('pass_score', sa.Float(), nullable=True),
    sa.Column('similarity_threshold', sa.Float(), nullable=False),
    sa.Column('similarity_checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_assignment_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_assignment_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment'))
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_course_id'), ['course_id'], unique=False)

    op.create_table('grading_delegate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_grading_delegate_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_grading_delegate_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_grading_delegate_unit_id_unit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_grading_delegate_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_delegate')),
    sa.UniqueConstraint('course_id', 'user_id', 'unit_id', name=op.f('uq_grading_delegate_course_id'))
    )
    with op.batch_alter_table('grading_delegate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grading_delegate_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grading_delegate_user_id'), ['user_id'], unique=False)

    op.create_table('submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('word_count', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('times_submitted', sa.Integer(), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_submission_assignment_id_assignment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_submission_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission')),
    sa.UniqueConstraint('assignment_id', 'user_id', name=op.f('uq_submission_assignment_id'))
    )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_late'), ['late'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_submitted_at'), ['submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_user_id'), ['user_id'], unique=False)

    op.create_table('assignment_grade',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('grader_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('max_score', sa.Float(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('levels', sa.JSON(), nullable=False),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('graded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['grader_id'], ['user.id'], name=op.f('fk_assignment_grade_grader_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_assignment_grade_submission_id_submission'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_grade')),
    sa.UniqueConstraint('submission_id', name=op.f('uq_assignment_grade_submission_id'))
    )
    with op.batch_alter_table('assignment_grade', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_grade_passed'), ['passed'], unique=False)

    op.create_table('similarity_pair',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('first_id', sa.Integer(), nullable=False),
    sa.Column('second_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('jaccard', sa.Float(), nullable=False),
    sa.Column('passages', sa.JSON(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_similarity_pair_assignment_id_assignment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['first_id'], ['submission.id'], name=op.f('fk_similarity_pair_first_id_submission'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['second_id'], ['submission.id'], name=op.f('fk_similarity_pair_second_id_submission'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_similarity_pair')),
    sa.UniqueConstraint('first_id', 'second_id', name=op.f('uq_similarity_pair_first_id'))
    )
    with op.batch_alter_table('similarity_pair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_similarity_pair_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_similarity_pair_first_id'), ['first_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_similarity_pair_second_id'), ['second_id'], unique=False)

    op.create_table('submission_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['file_id'], ['stored_file.id'], name=op.f('fk_submission_file_file_id_stored_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_submission_file_submission_id_submission'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_file'))
    )
    with op.batch_alter_table('submission_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_file_submission_id'), ['submission_id'], unique=False)

    op.create_table('commitment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_commitment_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_commitment_submission_id_submission'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_commitment_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment'))
    )
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitment_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_submission_id'), ['submission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitment_user_id'))
        batch_op.drop_index(batch_op.f('ix_commitment_submission_id'))
        batch_op.drop_index(batch_op.f('ix_commitment_course_id'))

    op.drop_table('commitment')
    with op.batch_alter_table('submission_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_file_submission_id'))

    op.drop_table('submission_file')
    with op.batch_alter_table('similarity_pair', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_similarity_pair_second_id'))
        batch_op.drop_index(batch_op.f('ix_similarity_pair_first_id'))
        batch_op.drop_index(batch_op.f('ix_similarity_pair_assignment_id'))

    op.drop_table('similarity_pair')
    with op.batch_alter_table('assignment_grade', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_grade_passed'))

    op.drop_table('assignment_grade')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_user_id'))
        batch_op.drop_index(batch_op.f('ix_submission_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_submission_state'))
        batch_op.drop_index(batch_op.f('ix_submission_late'))
        batch_op.drop_index(batch_op.f('ix_submission_assignment_id'))

    op.drop_table('submission')
    with op.batch_alter_table('grading_delegate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grading_delegate_user_id'))
        batch_op.drop_index(batch_op.f('ix_grading_delegate_course_id'))

    op.drop_table('grading_delegate')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_course_id'))

    op.drop_table('assignment')
