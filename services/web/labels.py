"""The APIs' codes in the reader's words (translated where shown)."""

from __future__ import annotations

from services.web.i18n import N_

STAGES = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "ineligible": N_("Not eligible"),
    "in_review": N_("In review"),
    "changes_requested": N_("Changes requested"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "withdrawn": N_("Withdrawn"),
    "active": N_("Funding period running"),
    "report_submitted": N_("Final report submitted"),
    "report_corrections": N_("Report corrections requested"),
    "reclaim": N_("Repayment due"),
    "closed": N_("Closed"),
}
COST_CATEGORIES = {
    "personnel": N_("Personnel"),
    "mini_job": N_("Mini job"),
    "material": N_("Material costs"),
    "fees": N_("Fees"),
    "other": N_("Other"),
}
DECISIONS = {
    "approve": N_("Approve"),
    "reject": N_("Reject"),
    "request_changes": N_("Request changes"),
}
APPLICANT_TYPES = {
    "district": N_("District (Landkreis)"),
    "independent_city": N_("Independent city"),
    "special_status_city": N_("City of special status"),
    "municipality": N_("Municipality"),
    "public_body": N_("Public body"),
    "church_org": N_("Church organisation"),
    "independent_org": N_("Independent organisation (freier Träger)"),
    "migrant_org": N_("Migrant organisation"),
}
REPORT_OUTCOMES = {
    "accept": N_("Accept"),
    "request_corrections": N_("Ask for corrections"),
    "reclaim": N_("Reclaim an amount"),
}
CHANGE_KINDS = {
    "extension": N_("Extension of the funding period"),
    "cost_shift": N_("Shift between cost lines"),
}
CHANGE_STATUS = {"requested": N_("Open"), "approved": N_("Approved"), "rejected": N_("Refused")}
ROUND_STATUS = {"draft": N_("In preparation"), "open": N_("Open"), "closed": N_("Closed")}
PAYMENT_STATUS = {
    "requested": N_("Requested"),
    "approved": N_("Paid out"),
    "rejected": N_("Refused"),
}
OFFER_CATEGORIES = {
    "language_course": N_("Language course"),
    "integration_course": N_("Integration course"),
    "job_centre": N_("Job centre"),
    "employment_agency": N_("Employment agency"),
    "recognition_counselling": N_("Recognition counselling"),
    "vocational_preparation": N_("Vocational preparation"),
    "migration_counselling": N_("Migration counselling"),
    "childcare": N_("Childcare"),
    "housing_counselling": N_("Housing counselling"),
    "debt_counselling": N_("Debt counselling"),
    "other": N_("Other"),
}
LANGUAGES = {
    "de": N_("German"),
    "en": N_("English"),
    "ar": N_("Arabic"),
    "fa": N_("Persian"),
    "fr": N_("French"),
    "ru": N_("Russian"),
    "tr": N_("Turkish"),
    "uk": N_("Ukrainian"),
    "ti": N_("Tigrinya"),
    "ps": N_("Pashto"),
    "ku": N_("Kurdish"),
    "so": N_("Somali"),
}
#: the last part of an event type (wir.application.<event>) -> what happened
EVENTS = {
    "submitted": N_("Submitted"),
    "ineligible": N_("Found not eligible"),
    "review_started": N_("Review started"),
    "reviewer_assigned": N_("Reviewer assigned"),
    "reviewed": N_("Reviewed"),
    "review_overdue": N_("Review overdue"),
    "changes_requested": N_("Changes requested"),
    "resubmitted": N_("Revised application submitted"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "withdrawn": N_("Withdrawn"),
    "appeal_lodged": N_("Objection (Widerspruch) lodged"),
    "decision_final": N_("Decision final"),
    "funding_started": N_("Funding period started"),
    "payment_requested": N_("Payment requested"),
    "payment_approved": N_("Payment released"),
    "payment_rejected": N_("Payment refused"),
    "change_requested": N_("Change requested"),
    "change_decided": N_("Change decided"),
    "interim_report_submitted": N_("Interim report submitted"),
    "interim_report_reminder": N_("Interim report reminder"),
    "interim_report_overdue": N_("Interim report overdue"),
    "report_submitted": N_("Final report submitted"),
    "report_reminder": N_("Final report reminder"),
    "report_overdue": N_("Final report overdue"),
    "report_escalated": N_("Final report escalated"),
    "report_corrections_requested": N_("Report corrections requested"),
    "reclaim_set": N_("Repayment set"),
    "repayment_recorded": N_("Repayment recorded"),
    "closed": N_("Closed"),
}


def event_label(event_type: str) -> str:
    """An application's event (wir.application.<event>); a case's are in case_labels."""
    return EVENTS.get(event_type.rsplit(".", 1)[-1], event_type)


GLOBALS = {
    "stage_labels": STAGES,
    "cost_labels": COST_CATEGORIES,
    "decision_labels": DECISIONS,
    "payment_labels": PAYMENT_STATUS,
    "round_status": ROUND_STATUS,
    "change_kinds": CHANGE_KINDS,
    "change_status": CHANGE_STATUS,
    "report_outcomes": REPORT_OUTCOMES,
    "applicant_type_labels": APPLICANT_TYPES,
    "offer_labels": OFFER_CATEGORIES,
    "language_labels": LANGUAGES,
    "event_label": event_label,
}
