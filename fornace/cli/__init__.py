"""The ``fornace`` command line."""
