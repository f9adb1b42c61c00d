"""done together with the worker: a worker's session can stand for one family member, and entries say who sat with them

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 14:00:00.000000

- user_sessions.together_member_id: while set, the worker's signed-in device shows only this member's
  own pages (deleted with the member: the device is then signed out, never back on staff pages);
- entries.done_together_with_id and worry_scores.done_together_with_id: the worker who sat with the
  member when it was sent.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('user_sessions') as batch:
        batch.add_column(sa.Column('together_member_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(
            'fk_user_sessions_together_member_id_family_members', 'family_members', ['together_member_id'], ['id'], ondelete='CASCADE'
        )
    with op.batch_alter_table('entries') as batch:
        batch.add_column(sa.Column('done_together_with_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_entries_done_together_with_id_users', 'users', ['done_together_with_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('worry_scores') as batch:
        batch.add_column(sa.Column('done_together_with_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_worry_scores_done_together_with_id_users', 'users', ['done_together_with_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('worry_scores') as batch:
        batch.drop_constraint('fk_worry_scores_done_together_with_id_users', type_='foreignkey')
        batch.drop_column('done_together_with_id')
    with op.batch_alter_table('entries') as batch:
        batch.drop_constraint('fk_entries_done_together_with_id_users', type_='foreignkey')
        batch.drop_column('done_together_with_id')
    with op.batch_alter_table('user_sessions') as batch:
        batch.drop_constraint('fk_user_sessions_together_member_id_family_members', type_='foreignkey')
        batch.drop_column('together_member_id')
