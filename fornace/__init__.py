"""Fornace: an application catalog and deployment service compatible with OpenStack Murano."""

__version__ = "0.1.0"
