"""The file store a route works with, as a FastAPI dependency."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from shared.deps import RuntimeDep
from shared.files.store import LocalFileStore, attachment_store


def get_file_store(runtime: RuntimeDep) -> LocalFileStore:
    """The attachments' store of the service the request came to."""
    return attachment_store(runtime.settings, runtime.name)


FileStoreDep = Annotated[LocalFileStore, Depends(get_file_store)]
