"""The readiness app's writes, one module per area (each past what one services.py holds):

- ``cycles``: evaluation cycles and stages, a stage's feedback list into the ledger, 回头看;
- ``evidence``: requirements, filing and reviewing evidence, the reminders;
- ``conditions``: prerequisite and veto events.

Callers import the module: ``from chuangwei.readiness.services import evidence``.
"""
