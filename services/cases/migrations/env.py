# Every domain's tables join the one metadata the migrations compare against.
from services.cases.attachments import models as attachments_models  # noqa: F401
from services.cases.cases import models as cases_models  # noqa: F401
from services.cases.db import Base
from services.cases.offers import models as offers_models  # noqa: F401
from services.cases.support import models as support_models  # noqa: F401
from services.cases.work import models as work_models  # noqa: F401
from shared.migrations import run_env

run_env(Base.metadata, version_table="alembic_version_cases")
