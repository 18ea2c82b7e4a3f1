"""Cases shared with colleagues; a stable provider id on every offer of the catalogue.

Existing offers get a provider id derived from their provider's name
("Volkshochschule Ohmtal" becomes ``volkshochschule-ohmtal``); new offers must name one.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def provider_slug(name: str) -> str:
    """``Agentur für Arbeit, Geschäftsstelle Ohmstadt`` → ``agentur-fuer-arbeit-…``."""
    ascii_name = (
        unicodedata.normalize("NFKD", name.lower().translate(_GERMAN))
        .encode("ascii", "ignore")
        .decode()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
    return slug[:64].rstrip("-") or "provider"


def upgrade() -> None:
    op.create_table(
        "case_shares",
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("case_manager", sa.String(64), primary_key=True, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    )
    with op.batch_alter_table("offers") as batch:
        batch.add_column(sa.Column("provider_id", sa.String(64), nullable=True))
    offers = sa.table(
        "offers", sa.column("id", sa.String), sa.column("provider", sa.String),
        sa.column("provider_id", sa.String),
    )  # fmt: skip
    bind = op.get_bind()
    for offer_id, provider in bind.execute(sa.select(offers.c.id, offers.c.provider)).all():
        bind.execute(
            offers.update()
            .where(offers.c.id == offer_id)
            .values(provider_id=provider_slug(provider))
        )
    with op.batch_alter_table("offers") as batch:
        batch.alter_column("provider_id", existing_type=sa.String(64), nullable=False)
        batch.create_index("ix_offers_provider_id", ["provider_id"])


def downgrade() -> None:
    with op.batch_alter_table("offers") as batch:
        batch.drop_index("ix_offers_provider_id")
        batch.drop_column("provider_id")
    op.drop_table("case_shares")
