"""the family and network safety plan, and agreements to it

A family's safety plan for the whole family and its network (seed 003's four steps and seed 004's
rows), versioned like the family plan, and each member's "I have read it and I agree" to a
published version. Nothing existing changes: each young person's own safety plan stays as it is.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 17:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('family_safety_plan_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_family_safety_plan_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['family_id'], ['families.id'], name=op.f('fk_family_safety_plan_versions_family_id_families'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_family_safety_plan_versions_published_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_safety_plan_versions')),
    sa.UniqueConstraint('family_id', 'number', name=op.f('uq_family_safety_plan_versions_family_id'))
    )
    with op.batch_alter_table('family_safety_plan_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_safety_plan_versions_family_id'), ['family_id'], unique=False)

    op.create_table('safety_plan_agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('agreed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['family_members.id'], name=op.f('fk_safety_plan_agreements_member_id_family_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['family_safety_plan_versions.id'], name=op.f('fk_safety_plan_agreements_version_id_family_safety_plan_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_plan_agreements')),
    sa.UniqueConstraint('version_id', 'member_id', name=op.f('uq_safety_plan_agreements_version_id'))
    )
    with op.batch_alter_table('safety_plan_agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_plan_agreements_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_safety_plan_agreements_version_id'), ['version_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('safety_plan_agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safety_plan_agreements_version_id'))
        batch_op.drop_index(batch_op.f('ix_safety_plan_agreements_member_id'))
    op.drop_table('safety_plan_agreements')
    with op.batch_alter_table('family_safety_plan_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_safety_plan_versions_family_id'))
    op.drop_table('family_safety_plan_versions')
