# Every package's tables share one metadata; importing their models registers them.
import services.applications.applications.models
import services.applications.attachments.models
import services.applications.catalogue.models
import services.applications.funding.models
import services.applications.office.models
import services.applications.review.models
import services.applications.rounds.models  # noqa: F401
from services.applications.base import Base
from shared.migrations import run_env

run_env(Base.metadata, version_table="alembic_version_applications")
