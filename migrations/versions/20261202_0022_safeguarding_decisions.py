"""safeguarding decisions on urgent entries

What was done about an urgent entry (called, visited, referred with its reference, discussed with
the manager, no further action and why), by whom and when: one row per entry. An urgent entry
acknowledged before gets a row saying only that, by whom and when it was acknowledged: no decision is
invented for it, and it is not counted as a breach of the 24-hour rule.

Revision ID: 0022
Revises: 0017
Create Date: 2026-12-02 17:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('safeguarding_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('actions', sa.JSON(), nullable=False),
    sa.Column('referral_reference', sa.String(length=60), nullable=False),
    sa.Column('no_further_action_reason', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_safeguarding_decisions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], name=op.f('fk_safeguarding_decisions_entry_id_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguarding_decisions')),
    sa.UniqueConstraint('entry_id', name=op.f('uq_safeguarding_decisions_entry_id'))
    )
    connection = op.get_bind()
    entries = sa.table('entries', sa.column('id', sa.Integer), sa.column('urgent', sa.Boolean),
                       sa.column('acknowledged_at', sa.DateTime(timezone=True)), sa.column('acknowledged_by_id', sa.Integer))
    decisions = sa.table('safeguarding_decisions', sa.column('entry_id', sa.Integer), sa.column('actions', sa.JSON),
                         sa.column('referral_reference', sa.String), sa.column('no_further_action_reason', sa.Text),
                         sa.column('notes', sa.Text), sa.column('decided_by_id', sa.Integer),
                         sa.column('decided_at', sa.DateTime(timezone=True)))
    acknowledged = connection.execute(
        sa.select(entries.c.id, entries.c.acknowledged_at, entries.c.acknowledged_by_id).where(
            entries.c.urgent.is_(True), entries.c.acknowledged_at.is_not(None), entries.c.acknowledged_by_id.is_not(None)
        )
    ).all()
    if acknowledged:
        connection.execute(decisions.insert(), [
            {'entry_id': entry_id, 'actions': ['acknowledged_before_decisions'], 'referral_reference': '',
             'no_further_action_reason': '', 'notes': '', 'decided_by_id': by, 'decided_at': at}
            for entry_id, at, by in acknowledged
        ])


def downgrade() -> None:
    op.drop_table('safeguarding_decisions')
