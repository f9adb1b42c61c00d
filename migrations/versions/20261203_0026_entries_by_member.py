"""entries by member and time: the review page's latest entries of each member, newest first

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03 12:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0026'
down_revision: str | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The new index leads with member_id, so it also serves what the member_id index served (the cascade on
    # erasing a member, a member's entries).
    op.create_index('ix_entries_member_created', 'entries', ['member_id', 'created_at', 'id'], unique=False)
    op.drop_index('ix_entries_member_id', table_name='entries')


def downgrade() -> None:
    op.create_index('ix_entries_member_id', 'entries', ['member_id'], unique=False)
    op.drop_index('ix_entries_member_created', table_name='entries')
