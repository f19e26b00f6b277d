"""One router per Murano resource, all mounted under /v1."""
