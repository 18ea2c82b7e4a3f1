"""The cases API's codes in the reader's words (translated where shown)."""

from __future__ import annotations

from services.web.i18n import N_

CASE_STAGES = {
    "intake": N_("Intake"),
    "in_progress": N_("In progress"),
    "placed": N_("Placed"),
    "follow_up": N_("Follow-up"),
    "closed": N_("Closed"),
}
CONSENT_PURPOSES = {
    "case_management": N_("Case management"),
    "referral_to_services": N_("Referral to services"),
    "data_sharing_with_providers": N_("Sharing data with providers"),
    "follow_up_contact": N_("Contact for follow-up"),
}
NEED_AREAS = {
    "language": N_("Language"),
    "recognition": N_("Recognition of qualifications"),
    "training": N_("Training"),
    "employment": N_("Employment"),
    "childcare": N_("Childcare"),
    "housing": N_("Housing"),
    "health_access": N_("Access to health care"),
}
GOAL_STATUS = {"open": N_("Open"), "achieved": N_("Achieved"), "dropped": N_("Dropped")}
REFERRAL_STATUS = {
    "sent": N_("Sent, no answer yet"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
    "completed": N_("Completed"),
}
DECLINE_REASONS = {
    "no_capacity": N_("No capacity"),
    "not_eligible": N_("Not eligible for the offer"),
    "no_contact": N_("No contact with the person"),
    "other": N_("Other reason"),
}
REFERRAL_OUTCOMES = {
    "successful": N_("Successful"),
    "discontinued": N_("Discontinued"),
    "not_attended": N_("Not attended"),
}
PLACEMENT_TYPES = {
    "internship": N_("Internship"),
    "vocational_training": N_("Vocational training"),
    "employment": N_("Employment"),
    "other_measure": N_("Other measure"),
}
CLOSURE_REASONS = {
    "placed": N_("Placed"),
    "moved_away": N_("Moved away"),
    "consent_withdrawn": N_("Consent withdrawn (the person's data is erased at once)"),
    "no_contact": N_("No contact any more"),
    "other": N_("Other reason"),
}
TASK_KINDS = {
    "follow_up": N_("Check-in due"),
    "referral_reminder": N_("Referral unanswered"),
    "referral_escalation": N_("Referral still unanswered"),
    "inactivity": N_("Case without activity"),
}
BOOKING_STATUS = {
    "booked": N_("Booked"),
    "took_place": N_("Took place"),
    "did_not_take_place": N_("Did not take place"),
}
VOLUNTEER_ROLES = {
    "mentor": N_("Mentor"),
    "integration_guide": N_("Integration guide"),
    "lay_interpreter": N_("Lay interpreter"),
}
STEP_KINDS = {
    "application": N_("Application sent"),
    "interview": N_("Interview"),
    "internship": N_("Internship"),
    "vocational_training": N_("Vocational training"),
    "employment": N_("Employment"),
}
STEP_STATUS = {
    "planned": N_("Planned"),
    "sent": N_("Sent"),
    "ongoing": N_("Ongoing"),
    "successful": N_("Successful"),
    "unsuccessful": N_("Unsuccessful"),
    "completed": N_("Completed"),
    "cancelled": N_("Cancelled"),
}
#: the last part of an event type (wir.case.<event>) -> what happened
CASE_EVENTS = {
    "opened": N_("Case opened"),
    "assessed": N_("Needs assessed"),
    "plan_revised": N_("Plan revised"),
    "referral_sent": N_("Referral sent"),
    "referral_accepted": N_("Referral accepted"),
    "referral_declined": N_("Referral declined"),
    "referral_completed": N_("Referral completed"),
    "referral_reminder_due": N_("Referral reminder"),
    "referral_escalated": N_("Referral escalated"),
    "placed": N_("Placed"),
    "follow_up_due": N_("Check-in due"),
    "follow_up_recorded": N_("Check-in recorded"),
    "transferred": N_("Handed to another case manager"),
    "inactive": N_("Case without activity"),
    "closed": N_("Case closed"),
    "reopened": N_("Case reopened"),
    "erasure_due": N_("Erasure due"),
    "erased": N_("Personal data erased"),
}

# the operator's pages: the delivery log and the audit log
DELIVERY_STATUS = {
    "pending": N_("Waiting"),
    "sent": N_("Sent"),
    "failed": N_("Failed"),
    "suppressed": N_("Suppressed (opted out)"),
    "cancelled": N_("Cancelled"),
}
CHANNELS = {"email": N_("E-mail"), "webhook": N_("Webhook")}
AUDIT_KINDS = {
    "command": N_("Command"),
    "read": N_("Read of personal data"),
    "unauthenticated": N_("Without sign-in"),
}
AUDIT_OUTCOMES = {
    "ok": N_("Carried out"),
    "rejected": N_("Rejected"),
    "denied": N_("Denied"),
    "unauthenticated": N_("Not signed in"),
    "failed": N_("Failed"),
}


def case_event_label(event_type: str) -> str:
    return CASE_EVENTS.get(event_type.rsplit(".", 1)[-1], event_type)


CASE_GLOBALS = {
    "case_stages": CASE_STAGES,
    "consent_purposes": CONSENT_PURPOSES,
    "need_areas": NEED_AREAS,
    "goal_status": GOAL_STATUS,
    "referral_status": REFERRAL_STATUS,
    "decline_reasons": DECLINE_REASONS,
    "referral_outcomes": REFERRAL_OUTCOMES,
    "placement_types": PLACEMENT_TYPES,
    "closure_reasons": CLOSURE_REASONS,
    "task_kinds": TASK_KINDS,
    "booking_status": BOOKING_STATUS,
    "volunteer_roles": VOLUNTEER_ROLES,
    "step_kinds": STEP_KINDS,
    "step_status": STEP_STATUS,
    "case_event_label": case_event_label,
    "delivery_status_labels": DELIVERY_STATUS,
    "channel_labels": CHANNELS,
    "audit_kind_labels": AUDIT_KINDS,
    "audit_outcome_labels": AUDIT_OUTCOMES,
}
