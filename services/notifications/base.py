"""The declarative base of the notifications service's tables (one metadata, one version table)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import DeclarativeBase

from shared.db import UtcDateTime


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime()}
