"""live classes: sessions, events, attendance, polls

Revision ID: 0006_live
Revises: 0005_certificates
Create Date: 2026-12-02 06:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006_live'
down_revision = '0005_certificates'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('live_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('join_opens_minutes', sa.Integer(), nullable=False),
    sa.Column('late_after_minutes', sa.Integer(), nullable=False),
    sa.Column('threshold_percent', sa.Integer(), nullable=False),
    sa.Column('in_person', sa.Boolean(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('stream_url', sa.String(length=1000), nullable=False),
    sa.Column('recording_url', sa.String(length=1000), nullable=False),
    sa.Column('slide_lesson_id', sa.Integer(), nullable=True),
    sa.Column('slide_page', sa.Integer(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_live_session_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_live_session_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['slide_lesson_id'], ['lesson.id'], name=op.f('fk_live_session_slide_lesson_id_lesson'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_session'))
    )
    with op.batch_alter_table('live_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_session_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_session_starts_at'), ['starts_at'], unique=False)

    op.create_table('live_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.String(length=64), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_live_event_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['live_session.id'], name=op.f('fk_live_event_session_id_live_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_event')),
    sa.UniqueConstraint('session_id', 'actor_id', 'client_id', name=op.f('uq_live_event_client_id')),
    sa.UniqueConstraint('session_id', 'seq', name=op.f('uq_live_event_seq'))
    )
    with op.batch_alter_table('live_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_event_session_id'), ['session_id'], unique=False)

    op.create_table('live_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('upvotes', sa.Integer(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_live_message_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['user.id'], name=op.f('fk_live_message_deleted_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['live_session.id'], name=op.f('fk_live_message_session_id_live_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_message'))
    )
    with op.batch_alter_table('live_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_message_session_id'), ['session_id'], unique=False)

    op.create_table('live_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('muted', sa.Boolean(), nullable=False),
    sa.Column('hand_raised_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hand_acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('manual_status', sa.String(length=10), nullable=True),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['marked_by_id'], ['user.id'], name=op.f('fk_live_participant_marked_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['live_session.id'], name=op.f('fk_live_participant_session_id_live_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_live_participant_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_participant')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_live_participant_session_id'))
    )
    with op.batch_alter_table('live_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_participant_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_participant_user_id'), ['user_id'], unique=False)

    op.create_table('live_poll',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=500), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('correct', sa.Integer(), nullable=True),
    sa.Column('revote', sa.String(length=10), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_live_poll_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['live_session.id'], name=op.f('fk_live_poll_session_id_live_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_poll'))
    )
    with op.batch_alter_table('live_poll', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_poll_session_id'), ['session_id'], unique=False)

    op.create_table('live_presence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('sid', sa.String(length=64), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['live_session.id'], name=op.f('fk_live_presence_session_id_live_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_live_presence_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_presence'))
    )
    with op.batch_alter_table('live_presence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_presence_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_presence_user_id'), ['user_id'], unique=False)

    op.create_table('live_poll_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('option', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['live_poll.id'], name=op.f('fk_live_poll_vote_poll_id_live_poll'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_live_poll_vote_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_poll_vote')),
    sa.UniqueConstraint('poll_id', 'user_id', name=op.f('uq_live_poll_vote_poll_id'))
    )
    with op.batch_alter_table('live_poll_vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_poll_vote_poll_id'), ['poll_id'], unique=False)

    op.create_table('live_upvote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['live_message.id'], name=op.f('fk_live_upvote_message_id_live_message'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_live_upvote_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_upvote')),
    sa.UniqueConstraint('message_id', 'user_id', name=op.f('uq_live_upvote_message_id'))
    )
    with op.batch_alter_table('live_upvote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_upvote_message_id'), ['message_id'], unique=False)


def downgrade():
    with op.batch_alter_table('live_upvote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_upvote_message_id'))

    op.drop_table('live_upvote')
    with op.batch_alter_table('live_poll_vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_poll_vote_poll_id'))

    op.drop_table('live_poll_vote')
    with op.batch_alter_table('live_presence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_presence_user_id'))
        batch_op.drop_index(batch_op.f('ix_live_presence_session_id'))

    op.drop_table('live_presence')
    with op.batch_alter_table('live_poll', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_poll_session_id'))

    op.drop_table('live_poll')
    with op.batch_alter_table('live_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_participant_user_id'))
        batch_op.drop_index(batch_op.f('ix_live_participant_session_id'))

    op.drop_table('live_participant')
    with op.batch_alter_table('live_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_message_session_id'))

    op.drop_table('live_message')
    with op.batch_alter_table('live_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_event_session_id'))

    op.drop_table('live_event')
    with op.batch_alter_table('live_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_session_starts_at'))
        batch_op.drop_index(batch_op.f('ix_live_session_course_id'))

    op.drop_table('live_session')
