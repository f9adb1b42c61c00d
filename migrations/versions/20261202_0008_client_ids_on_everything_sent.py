"""client ids on replies, photos, worries, worry scores and meeting messages

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 09:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A new nullable column and a unique index: neither makes SQLite rebuild the table (a rebuild
# would drop the old table, and foreign keys with ON DELETE CASCADE would empty its children).
UNIQUE = [
    ('entry_replies', 'uq_entry_replies_author_client', 'author_id'),
    ('photos', 'uq_photos_member_client', 'member_id'),
    ('worries', 'uq_worries_created_by_client', 'created_by_id'),
    ('worry_scores', 'uq_worry_scores_member_client', 'member_id'),
    ('meeting_messages', 'uq_meeting_messages_created_by_client', 'created_by_id'),
]


def upgrade() -> None:
    for table, index, owner in UNIQUE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('client_id', sa.String(length=64), nullable=True))
            batch_op.create_index(index, [owner, 'client_id'], unique=True)


def downgrade() -> None:
    for table, index, _owner in reversed(UNIQUE):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(index)
            batch_op.drop_column('client_id')
