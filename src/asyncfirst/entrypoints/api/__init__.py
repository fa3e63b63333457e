"""The hub's REST API (FastAPI): parse the request, call a use case, format the answer.

No business rule and no permission check lives here: use cases decide, ``services.access``
authorises, and ``errors`` maps the one error hierarchy to HTTP statuses.
"""
