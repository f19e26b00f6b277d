"""Repositories: functions of ``(db, ctx, ...)`` that read and write one aggregate each."""
