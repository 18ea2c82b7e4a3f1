"""The service catalogue (seeded), persons, cases, their records and history.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)

# The invented rural district "Landkreis Ohmtal": invented providers and offices, no people.
# (slug, name, category, provider, place, languages, target group, contact, opening hours)
OFFERS = [
    ("vhs-integrationskurs-alpha", "Integrationskurs mit Alphabetisierung",
     "integration_course", "Volkshochschule Ohmtal", "Ohmstadt", ["de", "ar", "fa"],
     "Neuzugewanderte mit Berechtigung zum Integrationskurs, die noch nicht sicher lesen und "
     "schreiben können", "VHS Ohmtal, Am Marktplatz 3, Ohmstadt; integration@vhs-ohmtal.example",
     "Mo-Do 8:30-12:30"),
    ("berufssprachkurs-b2", "Berufssprachkurs B2 (DeuFöV)", "language_course",
     "Sprachschule Lindenau gGmbH", "Lindenau", ["de", "en", "uk"],
     "Menschen mit Sprachniveau B1, die Arbeit oder Ausbildung suchen",
     "Sprachschule Lindenau, Bahnhofstraße 12, Lindenau; kurse@sprachschule-lindenau.example",
     "Mo-Fr 9:00-13:00, Di 17:00-20:00"),
    ("frauenkurs-kinderbetreuung", "Deutsch im Alltag - Frauenkurs mit Kinderbetreuung",
     "language_course", "Familienzentrum Wiesenbach e.V.", "Wiesenbach",
     ["de", "ar", "ti", "so"], "Frauen mit kleinen Kindern, Einstieg ohne Vorkenntnisse",
     "Familienzentrum Wiesenbach, Schulweg 2, Wiesenbach; deutsch@fz-wiesenbach.example",
     "Di und Do 9:00-11:30"),
    ("jobcenter-team-migration", "Team Migration und Arbeitsmarkt", "job_centre",
     "Kommunales Jobcenter Ohmtal", "Ohmstadt", ["de", "en", "ar", "uk"],
     "Leistungsberechtigte nach SGB II mit Fluchtgeschichte",
     "Jobcenter Ohmtal, Kreishaus, Ohmstadt; migration@jobcenter-ohmtal.example",
     "Mo-Fr 8:00-12:00, Do 14:00-17:00"),
    ("arbeitsagentur-berufsberatung", "Berufsberatung für Geflüchtete", "employment_agency",
     "Agentur für Arbeit, Geschäftsstelle Ohmstadt", "Ohmstadt", ["de", "en", "fa"],
     "Geflüchtete, die einen Beruf oder eine Ausbildung suchen",
     "Geschäftsstelle Ohmstadt, Gartenstraße 9; ohmstadt.beratung@arbeitsagentur.example",
     "nach Terminvereinbarung"),
    ("anerkennungsberatung", "Anerkennungs- und Qualifizierungsberatung",
     "recognition_counselling", "Beratungsnetzwerk Anerkennung Mittelhessen", "Ohmstadt",
     ["de", "en", "ar", "fa", "ru"], "Menschen mit ausländischem Berufs- oder Studienabschluss",
     "Beratungsnetzwerk Anerkennung, Kreishaus Raum 1.14, Ohmstadt; "
     "anerkennung@bnam.example", "Mi 9:00-15:00 und nach Vereinbarung"),
    ("eq-handwerk", "Einstiegsqualifizierung im Handwerk", "vocational_preparation",
     "Kreishandwerkerschaft Ohmtal", "Hohenroth", ["de"],
     "Junge Geflüchtete bis 27 Jahre mit Interesse an einer Ausbildung im Handwerk",
     "Kreishandwerkerschaft Ohmtal, Zunftweg 1, Hohenroth; eq@khs-ohmtal.example",
     "Mo-Fr 7:30-15:30"),
    ("mbe-sozialdienst", "Migrationsberatung für Erwachsene (MBE)", "migration_counselling",
     "Sozialdienst Ohmtal e.V.", "Ohmstadt", ["de", "ar", "ku", "tr"],
     "Zugewanderte ab 27 Jahren in den ersten Jahren nach der Ankunft",
     "Sozialdienst Ohmtal, Kirchgasse 5, Ohmstadt; mbe@sozialdienst-ohmtal.example",
     "Mo, Mi, Fr 9:00-12:00"),
    ("jugendmigrationsdienst", "Jugendmigrationsdienst", "migration_counselling",
     "Jugendwerk Lindenau e.V.", "Lindenau", ["de", "en", "ps", "fa"],
     "Junge Zugewanderte von 12 bis 27 Jahren",
     "Jugendwerk Lindenau, Am Sportplatz 4, Lindenau; jmd@jugendwerk-lindenau.example",
     "Di-Do 13:00-17:00"),
    ("kita-lotsen", "Kita-Lotsinnen und -Lotsen", "childcare",
     "Kreisverwaltung Ohmtal, Fachdienst Kindertagesbetreuung", "Ohmstadt", ["de", "uk", "ar"],
     "Familien mit Kindern unter sechs Jahren, die einen Betreuungsplatz suchen",
     "Fachdienst Kindertagesbetreuung, Kreishaus, Ohmstadt; kita@ohmtal.example",
     "Mo-Do 8:30-12:00"),
    ("wohnraumberatung", "Wohnraumberatung und Mietführerschein", "housing_counselling",
     "Kreisverwaltung Ohmtal, Fachdienst Wohnen", "Wiesenbach", ["de", "en", "ar", "ti"],
     "Geflüchtete, die aus einer Gemeinschaftsunterkunft in eine eigene Wohnung ziehen wollen",
     "Außenstelle Wiesenbach, Rathausplatz 1; wohnen@ohmtal.example", "Do 9:00-16:00"),
    ("schuldnerberatung", "Schuldner- und Insolvenzberatung", "debt_counselling",
     "Beratungsstelle Lebenslagen Ohmtal e.V.", "Hohenroth", ["de", "ru", "tr"],
     "Überschuldete Haushalte im Landkreis",
     "Beratungsstelle Lebenslagen, Lindenstraße 20, Hohenroth; schulden@lebenslagen.example",
     "Mo und Mi 9:00-12:00, offene Sprechstunde Mi 14:00-16:00"),
]  # fmt: skip


def offer_id(slug: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:wir:offer:{slug}"))


def _created() -> list[sa.Column[datetime | str]]:
    return [
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    ]


def _case_id() -> sa.Column[str]:
    return sa.Column(
        "case_id", sa.String(36), sa.ForeignKey("cases.id"), nullable=False, index=True
    )


def upgrade() -> None:
    offers = op.create_table(
        "offers",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(32), nullable=False, index=True),
        sa.Column("provider", sa.String(200), nullable=False),
        sa.Column("place", sa.String(100), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("target_group", sa.String(500), nullable=False),
        sa.Column("contact", sa.String(500), nullable=False),
        sa.Column("opening_hours", sa.String(500), nullable=True),
        *_created(),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "persons",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("given_name", sa.String(100), nullable=False),
        sa.Column("family_name", sa.String(100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("address", sa.String(300), nullable=True),
        sa.Column("residence_status", sa.String(200), nullable=True),
        sa.Column("family_situation", sa.String(500), nullable=True),
        *_created(),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "person_id", sa.String(36), sa.ForeignKey("persons.id"), nullable=False, index=True
        ),
        sa.Column("case_manager", sa.String(64), nullable=False, index=True),
        sa.Column("stage", sa.String(32), nullable=False, index=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("need_count", sa.Integer(), nullable=False),
        sa.Column("placement_type", sa.String(32), nullable=True),
        sa.Column("follow_up_due_at", TS, nullable=True),
        sa.Column("closure_reason", sa.String(32), nullable=True),
        sa.Column("closed_at", TS, nullable=True),
        sa.Column("consent_purposes", sa.JSON(), nullable=False),
        sa.Column("consent_given_at", sa.Date(), nullable=False),
        sa.Column("consent_recorded_by", sa.String(64), nullable=False),
        sa.Column("idempotency_key", sa.String(128), nullable=True, unique=True),
        *_created(),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "case_assessments",
        sa.Column("id", sa.String(64), primary_key=True),
        _case_id(),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("school_qualification", sa.String(200), nullable=True),
        sa.Column("vocational_qualification", sa.String(500), nullable=True),
        sa.Column("work_experience", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        *_created(),
    )
    op.create_table(
        "case_referrals",
        sa.Column("id", sa.String(36), primary_key=True),
        _case_id(),
        sa.Column("offer_id", sa.String(36), sa.ForeignKey("offers.id"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("decline_reason", sa.String(32), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("response_note", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(32), nullable=True),
        sa.Column("sent_at", TS, nullable=False),
        sa.Column("answered_at", TS, nullable=True),
        sa.Column("completed_at", TS, nullable=True),
        sa.Column("created_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "case_placements",
        sa.Column("id", sa.String(64), primary_key=True),
        _case_id(),
        sa.Column("placement_type", sa.String(32), nullable=False),
        sa.Column("employer_or_provider", sa.String(200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("offer_id", sa.String(36), sa.ForeignKey("offers.id"), nullable=True),
        *_created(),
    )
    op.create_table(
        "case_follow_ups",
        sa.Column("id", sa.String(64), primary_key=True),
        _case_id(),
        sa.Column("still_placed", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        *_created(),
    )
    op.create_table(
        "case_closures",
        sa.Column("id", sa.String(64), primary_key=True),
        _case_id(),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        *_created(),
    )
    op.create_table(
        "case_events",
        sa.Column("event_id", sa.String(64), primary_key=True),
        _case_id(),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(64), nullable=True),
        sa.Column("time", TS, nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )

    now = datetime.now(UTC)
    op.bulk_insert(
        offers,
        [
            {
                "id": offer_id(slug),
                "name": name,
                "category": category,
                "provider": provider,
                "place": place,
                "languages": languages,
                "target_group": target,
                "contact": contact,
                "opening_hours": hours,
                "created_at": now,
                "created_by": "seed",
                "updated_at": now,
                "updated_by": "seed",
            }
            for slug, name, category, provider, place, languages, target, contact, hours in OFFERS
        ],
    )


def downgrade() -> None:
    for table in (
        "case_events",
        "case_closures",
        "case_follow_ups",
        "case_placements",
        "case_referrals",
        "case_assessments",
        "cases",
        "persons",
        "offers",
    ):
        op.drop_table(table)
