"""ASGI middleware of the API, one class per module."""
