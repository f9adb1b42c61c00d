"""a review is made final by the team manager's sign-off: each step kept, and notices that name the review

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 18:00:00.000000

- review_sign_offs: submitted / returned / signed off, by whom, when, with the comment each had to write;
- reviews.status may now also be "submitted" (waiting for the manager), in the same column;
- notifications.review_id: a notice about a review's sign-off names the review (and goes with it).

Reviews already final stay final and get no sign-off rows: nobody signed them off, and the record
says nothing that did not happen.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('review_sign_offs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_review_sign_offs_by_id_users')),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_sign_offs_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_sign_offs'))
    )
    with op.batch_alter_table('review_sign_offs', schema=None) as batch_op:
        batch_op.create_index('ix_review_sign_offs_review', ['review_id', 'at'], unique=False)
    with op.batch_alter_table('notifications') as batch:
        batch.add_column(sa.Column('review_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_notifications_review_id_reviews', 'reviews', ['review_id'], ['id'], ondelete='CASCADE')


def downgrade() -> None:
    # A review waiting for sign-off goes back to the worker as a draft: before this revision nothing else could hold it.
    op.execute("UPDATE reviews SET status = 'draft' WHERE status = 'submitted'")
    op.execute("DELETE FROM notifications WHERE review_id IS NOT NULL")
    with op.batch_alter_table('notifications') as batch:
        batch.drop_constraint('fk_notifications_review_id_reviews', type_='foreignkey')
        batch.drop_column('review_id')
    with op.batch_alter_table('review_sign_offs', schema=None) as batch_op:
        batch_op.drop_index('ix_review_sign_offs_review')
    op.drop_table('review_sign_offs')
