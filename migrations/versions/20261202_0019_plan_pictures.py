"""plan pictures: Words and Pictures for the young people's version of the plan

The pictures a worker uploads for the young people's version of a family's plan (their own drawing
or a photo, cleaned by the photo pipeline), kept as bytes like photos. Plan versions name them by id
in their content: every plan version is rewritten as schema version 4, each block of the young
people's version with an empty list of pictures, every word as it was.

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-02 18:00:00.000000
"""

import copy
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Done here on plain dicts, not with the app's records, so it stays as it is when they change.
VERSION = 4


def _blocks(content: dict[str, Any]) -> list[tuple[dict[str, Any], tuple[str, ...]]]:
    """Each part of a plan that holds pictures from version 4, with the keys it holds them under."""
    sections = content.get('sections') if isinstance(content.get('sections'), dict) else {}
    found = [(s, ('pictures',)) for s in sections.values() if isinstance(s, dict)]
    found += [(a, ('pictures',)) for a in content.get('actions') or [] if isinstance(a, dict)]
    found += [(p, ('danger_pictures', 'goal_pictures')) for p in content.get('pairs') or [] if isinstance(p, dict)]
    return found


def _upgraded(content: Any) -> dict[str, Any]:
    content = copy.deepcopy(content) if isinstance(content, dict) else {}
    for block, keys in _blocks(content):
        for key in keys:
            block.setdefault(key, [])
    content['schema_version'] = VERSION
    return content


def _downgraded(content: Any) -> dict[str, Any]:
    """Back to version 3: the pictures are dropped (version 3 has no place for them; the uploads go with their table)."""
    content = copy.deepcopy(content) if isinstance(content, dict) else {}
    for block, keys in _blocks(content):
        for key in keys:
            block.pop(key, None)
    content['schema_version'] = 3
    return content


def _rewrite(change: Any) -> None:
    connection = op.get_bind()
    table = sa.table('plan_versions', sa.column('id', sa.Integer), sa.column('content', sa.JSON))
    for row_id, content in connection.execute(sa.select(table.c.id, table.c.content)).all():
        connection.execute(table.update().where(table.c.id == row_id).values(content=change(content)))


def upgrade() -> None:
    op.create_table('plan_pictures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('mime_type', sa.String(length=30), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('image', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['families.id'], name=op.f('fk_plan_pictures_family_id_families'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_plan_pictures_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_pictures'))
    )
    with op.batch_alter_table('plan_pictures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_pictures_family_id'), ['family_id'], unique=False)
    _rewrite(_upgraded)


def downgrade() -> None:
    _rewrite(_downgraded)
    with op.batch_alter_table('plan_pictures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_pictures_family_id'))
    op.drop_table('plan_pictures')
