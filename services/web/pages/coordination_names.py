"""Who someone on the coordination pages is, in words: an institution by its name, a contact
person as "Name (Institution)" (or "erased on request" once their data is erased), a member
of staff by their user id, a refugee registered by case id as "Refugee (case file)", never a
name and never a link to the case.

Contact persons are the coordination service's personal data, read per institution
(``GET /actors/{id}/contacts``, each an audited read of personal data). A page reads each
institution's contacts at most once. A day's participant carries its institution
(``actor_id``), so the day's page reads the contacts of those institutions alone and
nothing else of the network. A working group's members and owners do not: its page reads
the member institutions' contacts first, then, only for contact ids still unknown, the
other institutions of the network a few at a time, stopping as soon as every contact is
found.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from services.web.deps import View
from services.web.i18n import N_
from services.web.pages.coordination_forms import SERVICE

#: institutions whose contacts are read at once when looking for a contact not yet found
BATCH = 6
NETWORK_LIMIT = 200


async def network_actors(view: View) -> dict[str, str]:
    """Actor id -> name, for the first :data:`NETWORK_LIMIT` actors of the network."""
    found = await view.api.get(SERVICE, "/actors", {"limit": NETWORK_LIMIT})
    return {a["id"]: a["name"] for a in found["items"]}


class Named(NamedTuple):
    """Someone in words, and whether their data was erased on request."""

    text: str
    erased: bool = False


def contact_text(view: View, contact: Mapping[str, Any], institution: str) -> Named:
    if contact.get("erased_at") is not None:
        words = view.gettext(N_("Erased on request (%(institution)s)"))
        return Named(words % {"institution": institution}, erased=True)
    return Named(f"{contact['name']} ({institution})")


async def contacts_of(
    view: View, actor_ids: Iterable[str], actors: Mapping[str, str]
) -> dict[str, Named]:
    """Every contact person of these institutions (each read once, at the same time)."""
    chosen = list(dict.fromkeys(actor_ids))
    pages = await asyncio.gather(
        *(view.api.get(SERVICE, f"/actors/{a}/contacts", {"limit": 200}) for a in chosen)
    )
    return {
        contact["id"]: contact_text(view, contact, actors.get(actor_id, actor_id))
        for actor_id, found in zip(chosen, pages, strict=True)
        for contact in found["items"]
    }


async def find_contacts(
    view: View,
    wanted: Iterable[str],
    actors: Mapping[str, str],
    known: Mapping[str, Named],
    read: Iterable[str] = (),
) -> dict[str, Named]:
    """``known`` and the contacts of ``wanted`` it lacks, looked for among the institutions
    of ``actors`` not ``read`` yet, :data:`BATCH` at a time, until each one is found."""
    found = dict(known)
    missing = set(wanted) - set(found)
    done = set(read)
    rest = [a for a in actors if a not in done]
    for start in range(0, len(rest), BATCH):
        if not missing:
            break
        found |= await contacts_of(view, rest[start : start + BATCH], actors)
        missing -= set(found)
    return found


async def ref_names(
    view: View,
    refs: Iterable[Mapping[str, str]],
    actors: Mapping[str, str],
    known: Mapping[str, Named],
    read: Iterable[str] = (),
) -> dict[str, Named]:
    """``kind:id`` -> words for members, owners and attendees of a working group:
    institutions by name, contact persons as "Name (Institution)", staff by user id;
    whoever is not found keeps their id."""
    refs = list(refs)
    wanted = [r["id"] for r in refs if r["kind"] == "contact"]
    contacts = await find_contacts(view, wanted, actors, known, read)
    names: dict[str, Named] = {}
    for ref in refs:
        key = f"{ref['kind']}:{ref['id']}"
        if ref["kind"] == "actor":
            names[key] = Named(actors.get(ref["id"], ref["id"]))
        elif ref["kind"] == "contact":
            names[key] = contacts.get(ref["id"], Named(ref["id"]))
        else:
            names[key] = Named(ref["id"])
    return names


async def institution_names(
    view: View, actor_ids: Iterable[str], known: Mapping[str, str]
) -> dict[str, str]:
    """``known`` (actor id -> name, what the page read anyway) and the name of each of
    ``actor_ids`` it lacks, each read by itself (``GET /actors/{id}``, at the same time)."""
    missing = [a for a in dict.fromkeys(actor_ids) if a not in known]
    found = await asyncio.gather(*(view.api.get(SERVICE, f"/actors/{a}") for a in missing))
    return {**known, **{a["id"]: a["name"] for a in found}}


async def participant_names(
    view: View, participants: list[dict[str, Any]], actors: Mapping[str, str]
) -> dict[str, str]:
    """Participant id -> words: a contact as "Name (Institution)", staff by user id, a
    refugee as "Refugee (case file)" (the office never gets their case id or name).

    Only the institutions of the contacts registered are read (their ``actor_id``), with
    the names of those not in ``actors``. No network-wide search: the API gives every
    contact participant's ``actor_id`` while the contact's row exists (an erasure keeps
    it), and a contact without one could not be found anywhere, so it keeps its id."""
    institutions = [p["actor_id"] for p in participants
                    if p["kind"] == "contact" and p.get("actor_id")]  # fmt: skip
    named = await institution_names(view, institutions, actors)
    contacts = await contacts_of(view, institutions, named)
    names: dict[str, str] = {}
    for p in participants:
        if p["kind"] == "contact":
            names[p["participant_id"]] = contacts.get(p["contact_id"], Named(p["contact_id"])).text
        elif p["kind"] == "refugee":
            names[p["participant_id"]] = view.gettext(N_("Refugee (case file)"))
        else:
            names[p["participant_id"]] = p.get("user_id") or p["participant_id"]
    return names
