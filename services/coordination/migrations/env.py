# Every domain's tables join the one metadata the migrations compare against. A domain
# package with tables adds its models import here.
from services.coordination import creation, outbox  # noqa: F401
from services.coordination.actors import models as actors_models  # noqa: F401
from services.coordination.base import Base
from services.coordination.fachtage import models as fachtage  # noqa: F401
from services.coordination.groups import models as groups_models  # noqa: F401
from services.coordination.measures import models as measures  # noqa: F401
from shared.migrations import run_env

run_env(Base.metadata, version_table="alembic_version_coordination")
