"""a schema version in every review item's quote and every entry's answers

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 13:00:00.000000

Review quotes and entry answers written before they had a version are version 1; this writes version 2:

- an entry's answers, once the bare mapping of question key to value, are kept under "values";
- a review item's quote gets its "schema_version", and an entry's quoted answers each get the line
  they are exported as ("sentence"): imported before answers carried their line, an answer read as its
  question and then the answer in quotes, and a safety score's answers, then kept under their question
  keys, get their questions and lines in English (the language the app is written in).

The change is done here on plain dicts, not with the app's records, so it stays as it is when they change.
Rows are read and written a batch at a time, in the order of their ids; a row already at version 2 is
left as it is, so running it again changes nothing.

Downgrade writes entry answers back as the bare mapping and takes the version out of the quotes. The
answers' lines are left in: the readers of revision 0010 read them (and prefer them).
"""

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSION = 2
BATCH = 500

# A safety score (an urgent entry raised by a 0 on a safety worry), as its answers read in English.
SAFETY_SCORE = 'safety_score'
SAFETY_SCORE_QUESTIONS = (
    ('worry', 'Worry', 'Worry: {answer}', '{value}'),
    ('score', 'Score', 'Score: {answer}', '{value} out of 10'),
    ('one_point_higher', 'What would make it one point higher?', 'What would make it one point higher: {answer}', '{value}'),
)


def _is_versioned(content: Any) -> bool:
    return isinstance(content, dict) and isinstance(content.get('schema_version'), int)


# --- Entry answers.


def _answers_upgraded(answers: Any) -> Any:
    if _is_versioned(answers):
        return answers
    values = answers if isinstance(answers, dict) else {}
    return {'schema_version': VERSION, 'values': {str(k): v if isinstance(v, str) else str(v) for k, v in values.items() if v is not None}}


def _answers_downgraded(answers: Any) -> Any:
    if not _is_versioned(answers):
        return answers
    values = answers.get('values')
    return dict(values) if isinstance(values, dict) else {}


# --- Review quotes.


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ''


def _safety_score_answers(answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_key = {a['question']: _text(a.get('answer')) for a in answers}
    rows = []
    for key, question, sentence, shown in SAFETY_SCORE_QUESTIONS:
        if by_key.get(key, '').strip():
            answer = shown.format(value=by_key[key])
            rows.append({'question': question, 'answer': answer, 'sentence': sentence.format(answer=answer)})
    return rows


def _quoted_answers(quote: dict[str, Any]) -> list[Any]:
    answers = quote.get('answers')
    if not isinstance(answers, list):
        return []
    dicts = [a for a in answers if isinstance(a, dict)]
    keys = {key for key, *_rest in SAFETY_SCORE_QUESTIONS}
    if quote.get('kind') == SAFETY_SCORE and dicts and not any('sentence' in a for a in dicts) and all(a.get('question') in keys for a in dicts):
        return _safety_score_answers(dicts)
    return [
        {**a, 'sentence': a.get('sentence') or f"{_text(a.get('question'))} “{_text(a.get('answer'))}”"} if isinstance(a, dict) else a
        for a in answers
    ]


def _quote_upgraded(source: str, quote: Any) -> Any:
    if _is_versioned(quote) or not isinstance(quote, dict):
        return quote
    quote = dict(quote)
    if source == 'entry':
        quote['answers'] = _quoted_answers(quote)
    return {'schema_version': VERSION, **quote}


def _quote_downgraded(source: str, quote: Any) -> Any:
    if not _is_versioned(quote):
        return quote
    return {k: v for k, v in quote.items() if k != 'schema_version'}


# --- Reading and writing a batch at a time.


def _rewrite(table_name: str, column: str, change: Callable[[sa.Row[Any]], Any], *others: str) -> None:
    connection = op.get_bind()
    table = sa.table(table_name, sa.column('id', sa.Integer), sa.column(column, sa.JSON), *(sa.column(name, sa.String) for name in others))
    update = (
        table.update()
        .where(table.c.id == sa.bindparam('row_id', type_=sa.Integer))
        .values({column: sa.bindparam('content', type_=sa.JSON)})
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(table.c.id, table.c[column], *(table.c[name] for name in others)).where(table.c.id > last).order_by(table.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        changed = [{'row_id': row.id, 'content': new} for row in rows if (new := change(row)) != row[1]]
        if changed:
            connection.execute(update, changed)
        last = rows[-1].id


def upgrade() -> None:
    _rewrite('entries', 'answers', lambda row: _answers_upgraded(row.answers))
    _rewrite('review_items', 'quote', lambda row: _quote_upgraded(row.source, row.quote), 'source')


def downgrade() -> None:
    _rewrite('entries', 'answers', lambda row: _answers_downgraded(row.answers))
    _rewrite('review_items', 'quote', lambda row: _quote_downgraded(row.source, row.quote), 'source')
