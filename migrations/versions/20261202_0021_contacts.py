"""contacts with a family the worker records (home visits with the Appendix A headings), and disengagement decisions

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 18:00:00.000000

- contacts: a home visit, call, text, letter, meeting or attempt with no contact, when it happened,
  who recorded it, a home visit's write-up and when it was written up, and its reminder;
- disengagement_decisions: a team manager's decision about a family flagged for disengagement;
- notifications.contact_id: the home visit a write-up reminder is about.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'contacts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('family_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('happened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('next_step', sa.Text(), nullable=False),
        sa.Column('visit', sa.JSON(), nullable=True),
        sa.Column('written_up_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('client_id', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['family_id'], ['families.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_contacts_family_happened', 'contacts', ['family_id', 'happened_at'])
    op.create_index('uq_contacts_recorded_by_client', 'contacts', ['recorded_by_id', 'client_id'], unique=True)
    op.create_table(
        'disengagement_decisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('family_id', sa.Integer(), nullable=False),
        sa.Column('decision', sa.Text(), nullable=False),
        sa.Column('decided_on', sa.Date(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('client_id', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['family_id'], ['families.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_disengagement_decisions_family_id', 'disengagement_decisions', ['family_id'])
    op.create_index('uq_disengagement_decisions_decided_by_client', 'disengagement_decisions', ['decided_by_id', 'client_id'], unique=True)
    with op.batch_alter_table('notifications') as batch:
        batch.add_column(sa.Column('contact_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_notifications_contact_id_contacts', 'contacts', ['contact_id'], ['id'], ondelete='CASCADE')


def downgrade() -> None:
    with op.batch_alter_table('notifications') as batch:
        batch.drop_constraint('fk_notifications_contact_id_contacts', type_='foreignkey')
        batch.drop_column('contact_id')
    op.drop_index('uq_disengagement_decisions_decided_by_client', table_name='disengagement_decisions')
    op.drop_index('ix_disengagement_decisions_family_id', table_name='disengagement_decisions')
    op.drop_table('disengagement_decisions')
    op.drop_index('uq_contacts_recorded_by_client', table_name='contacts')
    op.drop_index('ix_contacts_family_happened', table_name='contacts')
    op.drop_table('contacts')
