"""ids for plan actions, progress updates and safety plan rows; a schema version in each plan's content

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 11:00:00.000000
"""

import secrets
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The content as written before ids is version 1 (it had no version); this writes version 2.
# The change is done here on plain dicts, not with the app's records, so it stays as it is when they change.
VERSION = 2
TABLES = ('plan_versions', 'safety_plan_versions')


def _with_id(row: Any, taken: set[str]) -> dict[str, Any]:
    row = dict(row) if isinstance(row, dict) else {}
    if not isinstance(row.get('id'), str) or not row['id'] or row['id'] in taken:
        while (candidate := secrets.token_hex(4)) in taken:
            pass
        row['id'] = candidate
    taken.add(row['id'])
    return row


def _upgraded(table: str, content: Any) -> dict[str, Any]:
    content = dict(content) if isinstance(content, dict) else {}
    taken: set[str] = set()
    if table == 'plan_versions':
        actions = []
        for raw in content.get('actions') or []:
            action = _with_id(raw, taken)
            action['progress'] = [_with_id(update, taken) for update in action.get('progress') or []]
            actions.append(action)
        content['actions'] = actions
    else:
        content['safe_people'] = [_with_id(row, taken) for row in content.get('safe_people') or []]
        content['rules'] = [_with_id(row, taken) for row in content.get('rules') or []]
        places = [{'place': p} if isinstance(p, str) else p for p in content.get('safe_places') or []]
        content['safe_places'] = [_with_id(row, taken) for row in places]
    content['schema_version'] = VERSION
    return content


def _downgraded(table: str, content: Any) -> dict[str, Any]:
    content = dict(content) if isinstance(content, dict) else {}
    content.pop('schema_version', None)

    def without_id(row: Any) -> Any:
        return {k: v for k, v in row.items() if k != 'id'} if isinstance(row, dict) else row

    if table == 'plan_versions':
        content['actions'] = [
            {**without_id(a), 'progress': [without_id(p) for p in a.get('progress') or []]}
            for a in content.get('actions') or [] if isinstance(a, dict)
        ]
    else:
        content['safe_people'] = [without_id(row) for row in content.get('safe_people') or []]
        content['rules'] = [without_id(row) for row in content.get('rules') or []]
        content['safe_places'] = [row.get('place', '') if isinstance(row, dict) else row for row in content.get('safe_places') or []]
    return content


def _rewrite(change: Any) -> None:
    connection = op.get_bind()
    for name in TABLES:
        table = sa.table(name, sa.column('id', sa.Integer), sa.column('content', sa.JSON))
        for row_id, content in connection.execute(sa.select(table.c.id, table.c.content)).all():
            connection.execute(table.update().where(table.c.id == row_id).values(content=change(name, content)))


def upgrade() -> None:
    _rewrite(_upgraded)


def downgrade() -> None:
    _rewrite(_downgraded)
