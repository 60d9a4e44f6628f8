"""The HTTP API (django-ninja) under /api/v1/: thin over the same services and rules as the web."""
