from services.cases import models_support  # noqa: F401  (its tables join Base.metadata)
from services.cases.models import Base
from shared.migrations import run_env

run_env(Base.metadata, version_table="alembic_version_cases")
