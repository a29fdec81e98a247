"""Every background task, gathered for the consumer: ``huey_consumer app.tasks.huey``.

The queue itself is ``app.queue``; each task lives beside the work it does. Importing this module
registers them all with the consumer (the web app registers them by importing the same services).
"""

from __future__ import annotations

from .queue import huey
from .services.cases.escalation import escalate_cases
from .services.mail import deliver_mail
from .services.match_index import rebuild_match_index
from .services.matching import send_alerts
from .services.transfer.jobs import recover_jobs, run_import_job

__all__ = ["huey", "escalate_cases", "deliver_mail", "rebuild_match_index", "send_alerts", "recover_jobs",
           "run_import_job"]
