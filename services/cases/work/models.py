"""The case managers' tasks, raised by the workflows' deadline events (``work.tasks``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, column_property, mapped_column

from services.cases.cases.models import Case
from services.cases.db import Base


class CaseTask(Base):
    """Something a case manager has to do, raised by a workflow deadline (a follow-up
    check-in, an unanswered referral, a quiet case). Keyed by the raising event's id."""

    __tablename__ = "case_tasks"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    case_manager: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    number: Mapped[int | None]
    referral_id: Mapped[str | None] = mapped_column(String(36))
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    done_by: Mapped[str | None] = mapped_column(String(64))
    # The case's file number, read with the task (a task list names the file by it).
    file_number: Mapped[str | None] = column_property(
        select(Case.file_number).where(Case.id == case_id).scalar_subquery()
    )
