"""The audit log is deliberately not in the Django admin.

Reading it goes through the auditor's screens (`nas.audit.views`), which check the
permission and record the read; changing it is refused by the model and, on PostgreSQL,
by the database.
"""
