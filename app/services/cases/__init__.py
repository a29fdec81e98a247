"""Cases: opening one routes it through its opportunity's permit path (``routing``); agencies act on
their steps (``steps``); overdue steps are escalated by a scheduled task (``escalation``); the applicant
hears of each change through the outbox (``notify``); HQ's figures come from ``stats``."""
