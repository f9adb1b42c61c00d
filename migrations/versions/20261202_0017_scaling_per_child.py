"""scaling as the template asks: each person scores each worry about each child it concerns

A worry now names the children it is about (worry_children). A score is about one child, may say
what makes it this number, and may be one the worker recorded for themselves, a professional or a
network member (name, role, the day it was given; no family member). Every score already stored
becomes a score about every child its worry concerned: the young people the worry applied to, or for
a member's own worry the owner if a young person, else every young person of the family. Nothing is
lost: the first child keeps the stored row, each further child gets a copy.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COPIED = ('worry_id', 'member_id', 'score', 'one_point_higher', 'language', 'created_at', 'way', 'done_together_with_id')


def upgrade() -> None:
    op.create_table('worry_children',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('worry_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['family_members.id'], name=op.f('fk_worry_children_member_id_family_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['worry_id'], ['worries.id'], name=op.f('fk_worry_children_worry_id_worries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worry_children')),
    sa.UniqueConstraint('worry_id', 'member_id', name=op.f('uq_worry_children_worry_id'))
    )
    with op.batch_alter_table('worry_children', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_worry_children_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_worry_children_worry_id'), ['worry_id'], unique=False)

    with op.batch_alter_table('worry_scores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('about_member_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('what_makes_it', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('scorer_kind', sa.String(length=12), nullable=False, server_default='member'))
        batch_op.add_column(sa.Column('scorer_name', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('scorer_role', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('given_on', sa.Date(), nullable=True))
        batch_op.alter_column('member_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_worry_scores_about_member_id'), ['about_member_id'], unique=False)
        batch_op.create_index('uq_worry_scores_recorded_by_client', ['recorded_by_id', 'client_id'], unique=True)
        batch_op.create_foreign_key(batch_op.f('fk_worry_scores_about_member_id_family_members'), 'family_members', ['about_member_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_worry_scores_recorded_by_id_users'), 'users', ['recorded_by_id'], ['id'], ondelete='SET NULL')

    _scores_about_each_child()

    with op.batch_alter_table('worry_scores', schema=None) as batch_op:
        batch_op.alter_column('what_makes_it', server_default=None)
        batch_op.alter_column('scorer_kind', server_default=None)
        batch_op.alter_column('scorer_name', server_default=None)
        batch_op.alter_column('scorer_role', server_default=None)


def _scores_about_each_child() -> None:
    bind = op.get_bind()
    meta = sa.MetaData()
    worries = sa.Table('worries', meta, autoload_with=bind)
    links = sa.Table('worry_members', meta, autoload_with=bind)
    children = sa.Table('worry_children', meta, autoload_with=bind)
    members = sa.Table('family_members', meta, autoload_with=bind)
    scores = sa.Table('worry_scores', meta, autoload_with=bind)

    young: dict[int, list[int]] = {}
    for member_id, family_id in bind.execute(
        sa.select(members.c.id, members.c.family_id).where(members.c.role == 'young_person').order_by(members.c.id)
    ):
        young.setdefault(family_id, []).append(member_id)
    young_ids = {m for ids in young.values() for m in ids}
    applied: dict[int, list[int]] = {}
    for worry_id, member_id in bind.execute(sa.select(links.c.worry_id, links.c.member_id).order_by(links.c.member_id)):
        applied.setdefault(worry_id, []).append(member_id)

    concerned: dict[int, list[int]] = {}
    for worry_id, family_id, owner in bind.execute(sa.select(worries.c.id, worries.c.family_id, worries.c.owner_member_id)):
        if owner is not None:
            concerned[worry_id] = [owner] if owner in young_ids else list(young.get(family_id, []))
        else:
            concerned[worry_id] = [m for m in applied.get(worry_id, []) if m in young_ids]
        if concerned[worry_id]:
            bind.execute(children.insert(), [{'worry_id': worry_id, 'member_id': m} for m in concerned[worry_id]])

    rows = bind.execute(sa.select(scores.c.id, *(scores.c[name] for name in COPIED)).order_by(scores.c.id)).mappings().all()
    for row in rows:
        about = concerned.get(row['worry_id'], [])
        if not about:
            continue  # a family with no young person: the score stays about nobody in particular
        bind.execute(scores.update().where(scores.c.id == row['id']).values(about_member_id=about[0]))
        copies = [{**{name: row[name] for name in COPIED}, 'about_member_id': child, 'scorer_kind': 'member',
                   'what_makes_it': '', 'scorer_name': '', 'scorer_role': ''} for child in about[1:]]
        if copies:
            bind.execute(scores.insert(), copies)


def downgrade() -> None:
    bind = op.get_bind()
    meta = sa.MetaData()
    scores = sa.Table('worry_scores', meta, autoload_with=bind)
    # Back to one score per person: scores nobody in the family gave go, and so do the copies about further children.
    bind.execute(scores.delete().where(scores.c.member_id.is_(None)))
    keep = sa.select(sa.func.min(scores.c.id)).group_by(*(scores.c[name] for name in COPIED if name not in ('way', 'done_together_with_id'))).scalar_subquery()
    bind.execute(scores.delete().where(scores.c.id.not_in(keep)))
    with op.batch_alter_table('worry_scores', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_worry_scores_recorded_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_worry_scores_about_member_id_family_members'), type_='foreignkey')
        batch_op.drop_index('uq_worry_scores_recorded_by_client')
        batch_op.drop_index(batch_op.f('ix_worry_scores_about_member_id'))
        batch_op.alter_column('member_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('given_on')
        batch_op.drop_column('recorded_by_id')
        batch_op.drop_column('scorer_role')
        batch_op.drop_column('scorer_name')
        batch_op.drop_column('scorer_kind')
        batch_op.drop_column('what_makes_it')
        batch_op.drop_column('about_member_id')

    with op.batch_alter_table('worry_children', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_worry_children_worry_id'))
        batch_op.drop_index(batch_op.f('ix_worry_children_member_id'))
    op.drop_table('worry_children')
