"""closure requests and goodbye views

Closing a family becomes a request the worker makes (summary, reason, the latest scores) and the team
manager approves or declines with a comment; each young person and parent is asked for their "Saying
goodbye" views on it. Families closed before stay closed: no request is invented for them.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 18:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('closure_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_closure_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['family_id'], ['families.id'], name=op.f('fk_closure_requests_family_id_families'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_closure_requests_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closure_requests'))
    )
    op.create_index(op.f('ix_closure_requests_family_id'), 'closure_requests', ['family_id'], unique=False)
    op.create_table('goodbye_views',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('closure_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('answer', sa.String(length=10), nullable=False),
    sa.Column('what_was_good', sa.Text(), nullable=False),
    sa.Column('could_be_better', sa.Text(), nullable=False),
    sa.Column('what_will_help', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['closure_id'], ['closure_requests.id'], name=op.f('fk_goodbye_views_closure_id_closure_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['family_members.id'], name=op.f('fk_goodbye_views_member_id_family_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goodbye_views')),
    sa.UniqueConstraint('closure_id', 'member_id', name=op.f('uq_goodbye_views_closure_id'))
    )
    op.create_index(op.f('ix_goodbye_views_closure_id'), 'goodbye_views', ['closure_id'], unique=False)
    op.create_index(op.f('ix_goodbye_views_member_id'), 'goodbye_views', ['member_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_goodbye_views_member_id'), table_name='goodbye_views')
    op.drop_index(op.f('ix_goodbye_views_closure_id'), table_name='goodbye_views')
    op.drop_table('goodbye_views')
    op.drop_index(op.f('ix_closure_requests_family_id'), table_name='closure_requests')
    op.drop_table('closure_requests')
