"""What WIR writes to disk is private to its user: the SQLite databases (with their -wal,
-shm and -journal files), their folders, the launcher's logs and whatever its children
write; an erased person's data stays neither in free pages nor in the write-ahead log."""

from __future__ import annotations

import os
import stat
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

import services.cases.offers.models
import services.cases.support.models
import services.cases.work.models  # noqa: F401  (every table on the one metadata)
from deploy.processes import Child, make_private
from services.cases.cases.erasure import erase_person
from services.cases.cases.models import Case, Person
from services.cases.db import Base
from shared.db import create_engine, session_factory
from shared.files.store import LocalFileStore

NAME = "Gebremedhin-Okafor"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual 022, whatever the test runner was started with."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("open_umask")
async def test_sqlite_files_and_their_folder_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "services"
    engine = create_engine(f"sqlite+aiosqlite:///{folder}/probe.db")
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (v TEXT)"))
            await connection.execute(text("INSERT INTO t VALUES ('x')"))
        async with engine.connect() as connection:  # WAL mode: -wal and -shm stay open
            assert (await connection.execute(text("PRAGMA secure_delete"))).scalar() == 1
            files = sorted(p.name for p in folder.iterdir())
            assert files == ["probe.db", "probe.db-shm", "probe.db-wal"]
            assert {p.name: mode(p) for p in folder.iterdir()} == dict.fromkeys(files, 0o600)
        assert mode(folder) == 0o700 and mode(folder.parent) == 0o700
    finally:
        await engine.dispose()


@pytest.mark.usefixtures("open_umask")
async def test_files_an_older_version_left_readable_are_narrowed(tmp_path: Path) -> None:
    database = tmp_path / "old.db"
    for name in ("old.db", "old.db-journal"):
        (tmp_path / name).touch(mode=0o644)
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (v TEXT)"))
    finally:
        await engine.dispose()
    assert mode(database) == 0o600
    assert all(mode(p) == 0o600 for p in tmp_path.iterdir()), {
        p.name: oct(mode(p)) for p in tmp_path.iterdir()
    }


async def test_an_erasure_leaves_nothing_in_the_write_ahead_log(tmp_path: Path) -> None:
    database = tmp_path / "cases.db"
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    sessions = session_factory(engine)
    now = datetime.now(UTC)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        async with sessions() as session, session.begin():
            person = Person(
                id=str(uuid.uuid4()),
                given_name="Yohannes",
                family_name=NAME,
                created_at=now,
                created_by="anna.cm",
            )
            session.add(person)
            await session.flush()
            case = Case(
                id=str(uuid.uuid4()),
                person_id=person.id,
                case_manager="anna.cm",
                stage="open",
                consent_purposes=["case_management"],
                consent_given_at=date(2026, 1, 1),
                consent_recorded_by="anna.cm",
                created_at=now,
                created_by="anna.cm",
                updated_at=now,
            )
            session.add(case)
        assert NAME.encode() in database.with_name("cases.db-wal").read_bytes()
        async with sessions() as session, session.begin():
            loaded = await session.get(Case, case.id)
            assert loaded is not None
            await erase_person(
                session=session, case=loaded, at=now, files=LocalFileStore(tmp_path / "files")
            )
        wal = database.with_name("cases.db-wal")
        assert not wal.exists() or wal.stat().st_size == 0
        assert NAME.encode() not in database.read_bytes()
    finally:
        await engine.dispose()


@pytest.mark.usefixtures("open_umask")
def test_the_launchers_children_write_private_files(tmp_path: Path) -> None:
    made = tmp_path / "data" / "made-by-child"
    script = f"import os; os.makedirs({str(made)!r}); open({str(made / 'f')!r}, 'w').write('x')"
    log = tmp_path / "data" / "logs" / "child.log"
    child = Child("probe", [sys.executable, "-c", script], log_path=log)
    child.start()
    assert child.process is not None and child.process.wait(timeout=30) == 0
    assert (mode(log.parent), mode(log)) == (0o700, 0o600)
    assert (mode(made), mode(made / "f")) == (0o700, 0o600)


@pytest.mark.usefixtures("open_umask")
def test_make_private_narrows_what_is_already_there(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "nats").mkdir(parents=True, mode=0o755)
    (data / "cases.db").touch(mode=0o644)
    (data / "nats" / "server.conf").touch(mode=0o640)
    data.chmod(0o755)
    make_private(data)
    assert {str(p.relative_to(data)): mode(p) for p in (data, *data.rglob("*"))} == {
        ".": 0o700,
        "nats": 0o700,
        "cases.db": 0o600,
        "nats/server.conf": 0o600,
    }
