"""The network of actors (with contact persons) and the working groups (members,
meetings with attendance, action items, history), and the creation keys of idempotent
``POST``s (issue 15, part 1). Part 2's migrations follow from 0003.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shared.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coordination_actors",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("search_text", sa.String(length=2000), nullable=False),
        sa.Column("applicant_organisation_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", shared.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", shared.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("coordination_actors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coordination_actors_applicant_organisation_id"),
            ["applicant_organisation_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_coordination_actors_type"), ["type"], unique=False)

    op.create_table(
        "coordination_creation_keys",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=False),
        sa.Column("body_digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", shared.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "coordination_groups",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("topic", sa.String(length=500), nullable=False),
        sa.Column("search_text", sa.String(length=800), nullable=False),
        sa.Column("coordinator", sa.String(length=64), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("invitation_lead_days", sa.Integer(), nullable=False),
        sa.Column("item_reminder_days", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("created_at", shared.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", shared.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("coordination_groups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coordination_groups_coordinator"), ["coordinator"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_coordination_groups_stage"), ["stage"], unique=False)

    op.create_table(
        "coordination_action_items",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.Column("meeting_id", sa.String(length=64), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("owner_kind", sa.String(length=16), nullable=False),
        sa.Column("owner_id", sa.String(length=64), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reminded_at", shared.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("overdue_at", shared.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("done_at", shared.db.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["coordination_groups.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("coordination_action_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coordination_action_items_group_id"), ["group_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_coordination_action_items_owner_id"), ["owner_id"], unique=False
        )

    op.create_table(
        "coordination_contacts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("function", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("created_at", shared.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", shared.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("erased_at", shared.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("erased_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["coordination_actors.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("coordination_contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coordination_contacts_actor_id"), ["actor_id"], unique=False
        )

    op.create_table(
        "coordination_group_events",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=True),
        sa.Column("time", shared.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["coordination_groups.id"],
        ),
        sa.PrimaryKeyConstraint("event_id"),
    )
    with op.batch_alter_table("coordination_group_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coordination_group_events_group_id"), ["group_id"], unique=False
        )

    op.create_table(
        "coordination_group_members",
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["coordination_groups.id"],
        ),
        sa.PrimaryKeyConstraint("group_id", "kind", "member_id"),
    )
    with op.batch_alter_table("coordination_group_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coordination_group_members_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "coordination_meetings",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.Column("starts_at", shared.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("online_link", sa.String(length=500), nullable=True),
        sa.Column("agenda", sa.Text(), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=True),
        sa.Column("attendee_count", sa.Integer(), nullable=True),
        sa.Column("invited_at", shared.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("invitation_reminded_at", shared.db.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["coordination_groups.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("coordination_meetings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coordination_meetings_group_id"), ["group_id"], unique=False
        )

    op.create_table(
        "coordination_attendance",
        sa.Column("meeting_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["coordination_meetings.id"],
        ),
        sa.PrimaryKeyConstraint("meeting_id", "kind", "member_id"),
    )


def downgrade() -> None:
    op.drop_table("coordination_attendance")
    with op.batch_alter_table("coordination_meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coordination_meetings_group_id"))

    op.drop_table("coordination_meetings")
    with op.batch_alter_table("coordination_group_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coordination_group_members_member_id"))

    op.drop_table("coordination_group_members")
    with op.batch_alter_table("coordination_group_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coordination_group_events_group_id"))

    op.drop_table("coordination_group_events")
    with op.batch_alter_table("coordination_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coordination_contacts_actor_id"))

    op.drop_table("coordination_contacts")
    with op.batch_alter_table("coordination_action_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coordination_action_items_owner_id"))
        batch_op.drop_index(batch_op.f("ix_coordination_action_items_group_id"))

    op.drop_table("coordination_action_items")
    with op.batch_alter_table("coordination_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coordination_groups_stage"))
        batch_op.drop_index(batch_op.f("ix_coordination_groups_coordinator"))

    op.drop_table("coordination_groups")
    op.drop_table("coordination_creation_keys")
    with op.batch_alter_table("coordination_actors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coordination_actors_type"))
        batch_op.drop_index(batch_op.f("ix_coordination_actors_applicant_organisation_id"))

    op.drop_table("coordination_actors")
