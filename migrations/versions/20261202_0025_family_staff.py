"""family staff: who works on each family, one indexed relation; indexes for the inbox's counts

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02 22:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0025'
down_revision: str | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('family_staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['families.id'], name=op.f('fk_family_staff_family_id_families'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_family_staff_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_staff')),
    sa.UniqueConstraint('family_id', 'user_id', name=op.f('uq_family_staff_family_id'))
    )
    op.create_index('ix_family_staff_user_family', 'family_staff', ['user_id', 'family_id'], unique=False)
    # Every family's lead worker, and its co-workers (a lead listed as co-worker too counts once, as lead).
    op.execute("INSERT INTO family_staff (family_id, user_id, role) SELECT id, lead_worker_id, 'lead' FROM families")
    op.execute(
        "INSERT INTO family_staff (family_id, user_id, role) SELECT w.family_id, w.user_id, 'co' FROM family_workers w "
        "JOIN families f ON f.id = w.family_id WHERE w.user_id <> f.lead_worker_id"
    )
    op.create_index('ix_entries_unread', 'entries', ['family_id'], unique=False,
                    postgresql_where=sa.text('read_at IS NULL'), sqlite_where=sa.text('read_at IS NULL'))
    op.create_index('ix_entries_urgent_open', 'entries', ['family_id'], unique=False,
                    postgresql_where=sa.text('urgent AND acknowledged_at IS NULL'),
                    sqlite_where=sa.text('urgent AND acknowledged_at IS NULL'))


def downgrade() -> None:
    op.drop_index('ix_entries_urgent_open', table_name='entries')
    op.drop_index('ix_entries_unread', table_name='entries')
    op.drop_index('ix_family_staff_user_family', table_name='family_staff')
    op.drop_table('family_staff')
