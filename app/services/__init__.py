"""Services: the one place where rows become records and records become rows, split by record.

Services flush and raise the domain errors of ``app.services.errors``; the request (or CLI command,
or task) commits once.
"""
