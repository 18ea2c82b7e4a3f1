"""Field types the request bodies of every domain share: language codes, staff ids, notes.

Only codes and ids of these reach a workflow; a ``Note`` never leaves the service's database.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


LanguageCode = Annotated[
    str, Field(pattern=r"^[a-z]{2}$", description="ISO 639-1 code, e.g. de, ar, uk")
]
Languages = Annotated[list[LanguageCode], Field(max_length=20), AfterValidator(_unique)]
# A staff user id (a token's subject): it goes into workflow input and events.
StaffId = Annotated[str, Field(pattern=r"^[A-Za-z0-9._@-]{1,64}$")]
Note = Annotated[str | None, Field(max_length=5_000)]
