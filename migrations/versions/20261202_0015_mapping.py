"""the Signs of Safety mapping in the family plan: content schema version 3

The plan's five sections stay as they are: they are the family's versions of each heading (what we
are worried about, what is working well, what needs to happen, bottom lines, what if), so nothing
moves and the translations of them stay attached. What is new starts empty: the worker's mapping
(past harm, complicating factors, existing strengths and safety, next steps, the genogram date, who
was present and absent), the danger statements each paired with its safety goal, and the voice of
the child (quotes of the young people's own entries). A published version's worries keep their
danger statements as they were. Safety plans do not change.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 14:00:00.000000
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Done here on plain dicts, not with the app's records, so it stays as it is when they change.
VERSION = 3
EMPTY_MAPPING = {
    'past_harm': '', 'complicating_factors': '', 'existing_strengths': '', 'existing_safety': '', 'next_steps': '',
    'genogram_date': None, 'present': [], 'absent': [],
}
NEW_KEYS = ('mapping', 'pairs', 'pairs_hidden_from', 'voice', 'voice_hidden_from')


def _upgraded(content: Any) -> dict[str, Any]:
    content = dict(content) if isinstance(content, dict) else {}
    content.setdefault('mapping', dict(EMPTY_MAPPING))
    for key in ('pairs', 'pairs_hidden_from', 'voice', 'voice_hidden_from'):
        content.setdefault(key, [])
    content['schema_version'] = VERSION
    return content


def _downgraded(content: Any) -> dict[str, Any]:
    """Back to version 2: the mapping, pairs and quotes are dropped (version 2 has no place for them)."""
    content = dict(content) if isinstance(content, dict) else {}
    for key in NEW_KEYS:
        content.pop(key, None)
    content['schema_version'] = 2
    return content


def _rewrite(change: Any) -> None:
    connection = op.get_bind()
    table = sa.table('plan_versions', sa.column('id', sa.Integer), sa.column('content', sa.JSON))
    for row_id, content in connection.execute(sa.select(table.c.id, table.c.content)).all():
        connection.execute(table.update().where(table.c.id == row_id).values(content=change(content)))


def upgrade() -> None:
    _rewrite(_upgraded)


def downgrade() -> None:
    _rewrite(_downgraded)
