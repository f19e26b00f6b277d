"""Helpers shared by Fornace's test suites (fixtures live in tests/conftest.py)."""
