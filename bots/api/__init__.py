"""The REST API for the agency's CRM / 1C: ``/api/v1`` (see README "API").

An edge like a messenger channel: it authenticates, validates and translates; the business
rules are the core services the chat and the CLI use.
"""

from bots.api.app import setup_api

__all__ = ["setup_api"]
