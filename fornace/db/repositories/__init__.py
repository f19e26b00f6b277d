"""Repositories: functions of ``(db, ctx, ...)`` that read and write one aggregate.

Each starts from a tenant-scoped select, raises fornace errors (NotFound,
Forbidden, Conflict, InvalidInput) and never commits: the caller owns the
transaction.
"""
