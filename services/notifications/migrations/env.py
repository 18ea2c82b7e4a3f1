from services.notifications.base import Base
from services.notifications.deliveries import models as _deliveries  # noqa: F401
from services.notifications.inbox import models as _inbox  # noqa: F401
from services.notifications.recipients import models as _recipients  # noqa: F401
from shared.migrations import run_env

run_env(Base.metadata, version_table="alembic_version_notifications")
