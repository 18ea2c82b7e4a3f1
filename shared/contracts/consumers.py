"""The durable JetStream consumers WIR's processes own, and what each one reads.

The NATS permissions (deploy/nats/wir.conf) grant each process its own durable by these
names, so they are a contract between the services and the deployment.
"""

from __future__ import annotations

APPLICATIONS_READ_MODEL = "applications-read-model"
APPLICATIONS_READ_MODEL_SUBJECT = "wir.application.>"

CASES_READ_MODEL = "cases-read-model"
CASES_READ_MODEL_SUBJECT = "wir.case.>"
#: A refugee's participation in a Fachtag (``wir.coordination.participant_*`` with a
#: ``case_id``) goes into the case's history (services/cases/cases/participations.py).
CASES_PARTICIPATIONS = "cases-participations"
CASES_PARTICIPATIONS_SUBJECT = "wir.coordination.>"

COORDINATION_READ_MODEL = "coordination-read-model"
COORDINATION_READ_MODEL_SUBJECT = "wir.coordination.>"

NOTIFICATIONS = "notifications"
NOTIFICATIONS_SUBJECT = "wir.>"
