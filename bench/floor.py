"""What the libraries Family Voice is built on cost before any of its own code: the floor under `make bench`'s goals.

A Flask app with the app's core libraries imported (Flask-Login, Flask-WTF, Flask-Babel, Flask-Limiter,
SQLAlchemy's ORM on psycopg; the form and the ORM in use) and none of Family Voice. Served exactly as the app and the hello
baseline are (gunicorn, deploy/gunicorn.conf.py, 2 sync workers), it answers:

- `/`: "hello", as bench/hello.py does, so its cold start is the libraries' import over the baseline's;
- `/form`: a sign-in form (two fields and a CSRF token kept in the session cookie) in a small page, as the
  sign-in page needs at the least: its floor;
- `/row`: one row read by primary key through the ORM, in a small page: what any signed-in page needs at
  the least (a signed-in page reads the session's row to know the session is still open).

FLOOR_DATABASE_URL: the database (`make bench` passes its 1,000-entry database; `create_tables` makes
the floor's one table there).
"""

from __future__ import annotations

import os

import flask_babel  # noqa: F401  (imported, as the app imports it: part of the start)
import flask_limiter  # noqa: F401
import flask_login  # noqa: F401
from flask import Flask
from flask_wtf import FlaskForm
from sqlalchemy import Engine, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired


class Base(DeclarativeBase):
    pass


class FloorRow(Base):
    __tablename__ = "bench_floor_rows"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class SignInForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
{% if form %}<form method="post">{{ form.hidden_tag() }}
<p>{{ form.username.label }} {{ form.username(autocomplete="username") }}</p>
<p>{{ form.password.label }} {{ form.password(autocomplete="current-password") }}</p>
<button type="submit">Sign in</button></form>{% else %}<p>Hello {{ name }}</p>{% endif %}
</main></body></html>"""


def engine_for(url: str) -> Engine:
    return create_engine(url, pool_size=2, pool_pre_ping=False)


def create_tables(url: str) -> None:
    """The floor's table with its one row, in the database at url."""
    engine = engine_for(url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        if session.get(FloorRow, 1) is None:
            session.add(FloorRow(id=1, name="Sam"))
            session.commit()
    engine.dispose()


app = Flask(__name__)
app.secret_key = os.environ.get("SECRET_KEY", "floor-" + os.urandom(8).hex())
_page = app.jinja_env.from_string(PAGE)  # compiled once, as the app's templates are
_engine = engine_for(os.environ.get("FLOOR_DATABASE_URL", "sqlite://"))


@app.route("/")
def hello() -> str:
    return "hello"


@app.route("/form")
def form() -> str:
    return _page.render(title="Sign in", form=SignInForm())


@app.route("/row")
def row() -> str:
    with Session(_engine) as session:
        found = session.execute(select(FloorRow).where(FloorRow.id == 1)).scalar_one()
        return _page.render(title="Home", form=None, name=found.name)
