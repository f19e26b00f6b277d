"""Tests of the catalog side of the API: packages and categories."""
