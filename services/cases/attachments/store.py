"""Where the cases service keeps attached files (``<data_dir>/attachments/cases``)."""

from __future__ import annotations

from shared.files.store import LocalFileStore, attachment_store
from shared.settings import WirSettings


def case_files(settings: WirSettings) -> LocalFileStore:
    return attachment_store(settings, "cases")
