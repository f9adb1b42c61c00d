"""review sharing: the review in plain language for the family, and their comments on it

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 18:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('review_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('happened_young_person', sa.Text(), nullable=False),
    sa.Column('happened_parent', sa.Text(), nullable=False),
    sa.Column('plan_changes_young_person', sa.Text(), nullable=False),
    sa.Column('plan_changes_parent', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('shared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('shared_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_shares_review_id_reviews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shared_by_id'], ['users.id'], name=op.f('fk_review_shares_shared_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_shares')),
    sa.UniqueConstraint('review_id', name=op.f('uq_review_shares_review_id'))
    )
    op.create_table('review_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['family_members.id'], name=op.f('fk_review_comments_member_id_family_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_comments_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_comments'))
    )
    op.create_index(op.f('ix_review_comments_member_id'), 'review_comments', ['member_id'], unique=False)
    op.create_index(op.f('ix_review_comments_review_id'), 'review_comments', ['review_id'], unique=False)
    op.create_index('uq_review_comments_member_client', 'review_comments', ['member_id', 'client_id'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_review_comments_member_client', table_name='review_comments')
    op.drop_index(op.f('ix_review_comments_review_id'), table_name='review_comments')
    op.drop_index(op.f('ix_review_comments_member_id'), table_name='review_comments')
    op.drop_table('review_comments')
    op.drop_table('review_shares')
