"""The coordination API's codes in the reader's words (translated where shown)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from services.web.i18n import N_, ZONE

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
#: every stage in words: the six steps and a day called off (not one of the steps)
DAY_STAGE_LABELS = {**DAY_STAGES, "cancelled": N_("Called off")}
#: a specialist day's level (the programme's "district and national level")
DAY_LEVELS = {
    "district": N_("District"),
    "state": N_("State (Hesse)"),
    "national": N_("National"),
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

#: what happened to a working group or a specialist day (their histories' types)
EVENTS = {
    "group_formed": N_("Working group formed"),
    "group_members_changed": N_("Members changed"),
    "group_cadence_set": N_("Meeting cycle set or ended"),
    "group_closed": N_("Working group closed"),
    "meeting_scheduled": N_("Meeting scheduled"),
    "invitation_reminder_due": N_("Reminder: the invitation is due"),
    "invitation_sent": N_("Invitation sent"),
    "meeting_held": N_("Meeting held, minutes recorded"),
    "meeting_cancelled": N_("Meeting cancelled"),
    "action_item_added": N_("Action item added"),
    "action_item_reminder_due": N_("Owner reminded of an action item"),
    "action_item_overdue": N_("Action item overdue"),
    "action_item_done": N_("Action item done"),
    "fachtag_planned": N_("Specialist day planned"),
    "fachtag_invitations_sent": N_("Invitations sent"),
    "fachtag_registration_opened": N_("Registration opened"),
    "participant_registered": N_("Participant registered"),
    "participant_waitlisted": N_("Participant put on the waiting list"),
    "participant_cancelled": N_("Registration cancelled"),
    "participant_moved_up": N_("Moved up from the waiting list"),
    "fachtag_registration_closed": N_("Registration closed"),
    "participant_attended": N_("Attendance recorded"),
    "fachtag_held": N_("Day held"),
    "fachtag_documentation_due": N_("Reminder: the documentation is due"),
    "fachtag_documented": N_("Day documented"),
    # being added to the API on another branch (calling a day off)
    "fachtag_cancelled": N_("Specialist day called off"),
    "participant_fachtag_cancelled": N_("Participant told the day is called off"),
}


def coordination_event_label(event_type: str) -> str:
    """``wir.coordination.group_formed`` (or ``group_formed``) in words; unknown: as given."""
    return EVENTS.get(event_type.rsplit(".", 1)[-1], event_type)


#: the weekday of a cycle, as "on Tuesdays" is said after "every 4 weeks," (Monday = 0)
WEEKDAYS_PLURAL = (
    N_("Mondays"), N_("Tuesdays"), N_("Wednesdays"), N_("Thursdays"), N_("Fridays"),
    N_("Saturdays"), N_("Sundays"),
)  # fmt: skip
WEEKDAYS = (
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
    N_("Saturday"), N_("Sunday"),
)  # fmt: skip
#: the week of the month a monthly cycle meets in, as the rule is said
MONTHLY_ON = {
    "first": N_("on the first %(weekday)s of the month, %(time)s"),
    "second": N_("on the second %(weekday)s of the month, %(time)s"),
    "third": N_("on the third %(weekday)s of the month, %(time)s"),
    "fourth": N_("on the fourth %(weekday)s of the month, %(time)s"),
    "last": N_("on the last %(weekday)s of the month, %(time)s"),
}
#: the same weeks as the form offers them
WEEKS_OF_MONTH = {
    "first": N_("In the first week"),
    "second": N_("In the second week"),
    "third": N_("In the third week"),
    "fourth": N_("In the fourth week"),
    "last": N_("In the last week"),
}


def cadence_words(cadence: Mapping[str, Any], gettext: Callable[[str], str]) -> str:
    """A group's meeting cycle as the reader says it, in the time of Hesse: "every 4 weeks,
    Tuesdays 16:00", "every week, Tuesdays 16:00", "on the last Friday of the month, 16:00"
    (``gettext`` the reader's language)."""
    first = _moment(cadence["first_starts_at"]).astimezone(ZONE)
    time = first.strftime("%H:%M")
    weeks = cadence.get("every_weeks")
    if weeks is not None:
        weekdays = gettext(WEEKDAYS_PLURAL[first.weekday()])
        rule = N_("every week, %(weekdays)s %(time)s") if weeks == 1 else (
            N_("every %(n)s weeks, %(weekdays)s %(time)s")
        )  # fmt: skip
        return gettext(rule) % {"n": weeks, "weekdays": weekdays, "time": time}
    weekday = gettext(WEEKDAYS[first.weekday()])
    return gettext(MONTHLY_ON[str(cadence["monthly_on"])]) % {"weekday": weekday, "time": time}


def _moment(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


COORDINATION_GLOBALS = {
    "actor_types": ACTOR_TYPES,
    "measure_kinds": MEASURE_KINDS,
    "measure_status": MEASURE_STATUS,
    "day_stages": DAY_STAGE_LABELS,
    "day_levels": DAY_LEVELS,
    "participant_kinds": PARTICIPANT_KINDS,
    "participant_status": PARTICIPANT_STATUS,
    "meeting_status": MEETING_STATUS,
    "item_status": ITEM_STATUS,
    "group_stages": GROUP_STAGES,
    "member_kinds": MEMBER_KINDS,
    "weeks_of_month": WEEKS_OF_MONTH,
    "coordination_event_label": coordination_event_label,
}
