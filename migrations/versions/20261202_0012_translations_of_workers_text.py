"""text translations: the worker's words in the family's languages, and an interpreter's English of a member's words

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 13:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('text_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('block', sa.String(length=120), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source_hash', sa.String(length=64), nullable=False),
    sa.Column('translated_by_id', sa.Integer(), nullable=True),
    sa.Column('interpreter_name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['families.id'], name=op.f('fk_text_translations_family_id_families'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['translated_by_id'], ['users.id'], name=op.f('fk_text_translations_translated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_text_translations')),
    sa.UniqueConstraint('family_id', 'block', 'language', name=op.f('uq_text_translations_family_id'))
    )
    with op.batch_alter_table('text_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_text_translations_family_id'), ['family_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('text_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_text_translations_family_id'))

    op.drop_table('text_translations')
