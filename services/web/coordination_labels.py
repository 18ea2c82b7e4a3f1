"""The coordination API's codes in the reader's words (translated where shown)."""

from __future__ import annotations

from services.web.i18n import N_

ACTOR_TYPES = {
    "municipal_office": N_("Municipal office"),
    "club": N_("Club or association"),
    "church": N_("Church or religious community"),
    "migrant_org": N_("Migrant organisation"),
    "welfare_org": N_("Welfare organisation"),
    "school": N_("School"),
    "employer": N_("Employer"),
    "job_centre": N_("Job centre"),
    "other": N_("Other"),
}
MEASURE_KINDS = {
    "staff_training": N_("Staff training"),
    "multilingual_information": N_("Multilingual information"),
    "intercultural_contact_person": N_("Intercultural contact person"),
    "diverse_recruitment": N_("Diverse recruitment"),
    "other": N_("Other"),
}
MEASURE_STATUS = {
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "completed": N_("Completed"),
    "discontinued": N_("Discontinued"),
}
#: the stages of a specialist day, in their order
DAY_STAGES = {
    "planned": N_("Planned"),
    "invitations_sent": N_("Invitations sent"),
    "registration_open": N_("Registration open"),
    "registration_closed": N_("Registration closed"),
    "held": N_("Held"),
    "documented": N_("Documented"),
}
PARTICIPANT_KINDS = {
    "contact": N_("Contact person"),
    "staff": N_("Member of staff"),
    "refugee": N_("Refugee (by case id)"),
}
PARTICIPANT_STATUS = {
    "registered": N_("Has a place"),
    "waitlisted": N_("On the waiting list"),
    "cancelled": N_("Cancelled"),
}
MEETING_STATUS = {
    "scheduled": N_("Scheduled"),
    "held": N_("Held"),
    "cancelled": N_("Cancelled"),
}
ITEM_STATUS = {"open": N_("Not done yet"), "done": N_("Done")}
GROUP_STAGES = {"active": N_("Active"), "closed": N_("Closed")}
MEMBER_KINDS = {
    "actor": N_("Institution"),
    "staff": N_("Member of staff"),
    "contact": N_("Contact person"),
}

COORDINATION_GLOBALS = {
    "actor_types": ACTOR_TYPES,
    "measure_kinds": MEASURE_KINDS,
    "measure_status": MEASURE_STATUS,
    "day_stages": DAY_STAGES,
    "participant_kinds": PARTICIPANT_KINDS,
    "participant_status": PARTICIPANT_STATUS,
    "meeting_status": MEETING_STATUS,
    "item_status": ITEM_STATUS,
    "group_stages": GROUP_STAGES,
    "member_kinds": MEMBER_KINDS,
}
