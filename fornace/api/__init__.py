"""The Murano REST API v1 server."""
