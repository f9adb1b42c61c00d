"""Closing a family as people do it: the worker asks, the team manager approves."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from webapp.closure.models import ClosureRequest
from webapp.db import db_session
from webapp.families.models import Family

from .conftest import FormClient
from .helpers import signed_in


def ask_to_close(worker: FormClient, family: Family, reason: str = "moved_away", summary: str = "We worked on mornings.") -> Any:
    url = f"/staff/families/{family.id}/closure"
    return worker.submit(url, {"summary": summary, "reason": reason})


def approve(manager: FormClient, closure_id: int, comment: str = "Agreed: the family moved to another county.", **extra: str) -> Any:
    return manager.submit(f"/staff/closures/{closure_id}/decide", {"comment": comment, "approve": "y", **extra},
                          page="/staff/")


def close_family(app: Flask, world: dict[str, Any], family: Family | None = None, worker: FormClient | None = None) -> ClosureRequest:
    """The lead worker asks to close, the team manager approves: the family is closed."""
    family = family or world["family"]
    worker = worker or signed_in(app, world["worker_a"])
    response = ask_to_close(worker, family)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    closure = db_session().scalar(select(ClosureRequest).where(ClosureRequest.family_id == family.id).order_by(ClosureRequest.id.desc()).limit(1))
    assert closure is not None
    response = approve(signed_in(app, world["manager_a"]), closure.id)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db_session().refresh(family)
    return closure
