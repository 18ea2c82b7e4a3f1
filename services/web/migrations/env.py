from services.web.models import Base
from shared.migrations import run_env

run_env(Base.metadata, version_table="alembic_version_web")
