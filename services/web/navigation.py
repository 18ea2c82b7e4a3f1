"""The navigation a signed-in user sees: one entry per area their roles open."""

from __future__ import annotations

from dataclasses import dataclass

from services.web.i18n import N_


@dataclass(frozen=True)
class NavItem:
    href: str
    label: str
    current: bool


#: role -> (path, label) in the order they appear
AREAS: dict[str, list[tuple[str, str]]] = {
    "applicant": [("/applications", N_("My applications"))],
    "programme_officer": [
        ("/office/applications", N_("Work queue")),
        ("/office/rounds", N_("Funding rounds")),
        ("/office/organisations", N_("Organisations")),
        ("/office/overdue", N_("Overdue reports")),
    ],
    "reviewer": [("/reviews", N_("My reviews"))],
    "approver": [("/decisions", N_("Decisions"))],
    "case_manager": [
        ("/cases", N_("My cases")),
        ("/tasks", N_("My tasks")),
        ("/volunteers", N_("Volunteer pools")),
        ("/statistics", N_("Statistics")),
        ("/network", N_("Network of actors")),
    ],
    "coordinator": [
        ("/coordination/actors", N_("Network")),
        ("/coordination/groups", N_("Working groups")),
        ("/coordination/days", N_("Specialist days")),
        ("/coordination/report", N_("Year report")),
    ],
    "provider": [("/desk", N_("Referrals to our offers"))],
    "operator": [
        ("/operations/overview", N_("Operations")),
        ("/operations/deliveries", N_("Delivery log")),
        ("/operations/dead-letters", N_("Dead letters")),
    ],
    "admin": [
        ("/operations/audit", N_("Audit log")),
        ("/statistics", N_("Statistics")),
        ("/operations/deliveries", N_("Delivery log")),
    ],
}
PUBLIC = [("/offers", N_("Service catalogue"))]


def navigation(roles: list[str], path: str) -> list[NavItem]:
    entries: list[tuple[str, str]] = []
    for role in AREAS:
        if role in roles:
            entries += [e for e in AREAS[role] if e not in entries]
    entries += PUBLIC
    return [NavItem(href=href, label=label, current=path == href) for href, label in entries]
