"""the picture-led way: who uses it, how each entry and score was made, bigger text and calmer colours

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 13:10:00.000000

A member's `picture_led` is the worker's choice (empty means "by age": under-8s use pictures),
`way_chosen` the member's own switch; `bigger_text` and `calmer_colours` how their pages look.
An entry's and a worry score's `way` is "picture" when made the picture-led way (empty for the usual way,
as every row written before).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('family_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('picture_led', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('way_chosen', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('bigger_text', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('calmer_colours', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('way', sa.String(length=10), nullable=True))
    with op.batch_alter_table('worry_scores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('way', sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('worry_scores', schema=None) as batch_op:
        batch_op.drop_column('way')
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.drop_column('way')
    with op.batch_alter_table('family_members', schema=None) as batch_op:
        batch_op.drop_column('calmer_colours')
        batch_op.drop_column('bigger_text')
        batch_op.drop_column('way_chosen')
        batch_op.drop_column('picture_led')
