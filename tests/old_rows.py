"""Rows written straight into a database at an older revision, for the migration tests.

Today's models know columns a later migration added, so they cannot write into an older schema.
These rows carry only the columns the table has at that revision (read from the database itself);
a column the test leaves out gets today's model default, as the app would have written it then.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import MetaData, create_engine

from webapp.auth import totp
from webapp.auth.passwords import hash_password
from webapp.models import Base

from . import factories

_numbers = itertools.count(1)


class OldRows:
    def __init__(self, database_url: str) -> None:
        self.engine = create_engine(database_url)
        self.tables = MetaData()
        self.tables.reflect(self.engine)

    def add(self, table_name: str, **values: Any) -> int:
        [row_id] = self.add_many(table_name, [values])
        return row_id

    def add_many(self, table_name: str, rows: list[dict[str, Any]]) -> list[int]:
        table = self.tables.tables[table_name]
        model = Base.metadata.tables[table_name]
        ids = []
        with self.engine.begin() as connection:
            for values in rows:
                row = {}
                for column in table.c:
                    if column.name in values:
                        row[column.name] = values[column.name]
                        continue
                    default = model.c[column.name].default if column.name in model.c else None
                    if default is not None and getattr(default, "is_scalar", False):
                        row[column.name] = default.arg  # type: ignore[attr-defined]
                    elif default is not None and getattr(default, "is_callable", False):
                        row[column.name] = default.arg(None)  # type: ignore[attr-defined]
                ids.append(connection.execute(table.insert().values(row).returning(table.c.id)).scalar_one())
        return ids

    def family(self) -> dict[str, int]:
        """A team, its worker, a family led by the worker, a young person and a parent who can sign in."""
        n = next(_numbers)
        team = self.add("teams", name=f"Old team {n}")
        worker = self.add("users", role="worker", display_name=f"Worker {n}", email=f"old-worker{n}@example.org",
                          password_hash=hash_password(factories.PASSWORD), team_id=team,
                          totp_secret=totp.new_secret(), totp_confirmed_at=datetime.now(UTC))
        family = self.add("families", name=f"Old family {n}", team_id=team, lead_worker_id=worker)
        ids = {"team": team, "worker": worker, "family": family}
        for role, user_role, band in (("young_person", "young_person", "14-15"), ("parent", "parent", "adult")):
            user = self.add("users", role=user_role, display_name=f"{role} {n}", username=f"old-{role}{n}",
                            password_hash=hash_password(factories.PASSWORD), locale="en")
            ids[role] = self.add("family_members", family_id=family, user_id=user, display_name=f"{role} {n}", role=role,
                                 age_band=band, preferred_language="en", restricted=False, activated_at=datetime.now(UTC))
            ids[f"{role} user"] = user
        return ids

    def close(self) -> None:
        self.engine.dispose()
