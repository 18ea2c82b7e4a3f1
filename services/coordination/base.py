"""The declarative base every table of the coordination service joins.

Each domain package declares its own tables on this one base, so that one metadata holds
them all: the migrations' ``env.py`` imports every models module to fill it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy.orm import DeclarativeBase

from shared.db import UtcDateTime


class Base(DeclarativeBase):
    type_annotation_map = {
        dict[str, Any]: JSON,
        list[str]: JSON,
        datetime: UtcDateTime(),
    }
