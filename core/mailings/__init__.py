"""Mailings (issue 13): segments, audience, content, and the service that sends them.

- :mod:`core.mailings.segments` — the expression syntax (``orders>=1 and country=TR``);
- :mod:`core.mailings.audience` — a segment as a query, streamed in batches, and its preview;
- :mod:`core.mailings.content` — texts per language with variables, links, Unsubscribe;
- :mod:`core.mailings.service` — the state machine, the snapshot and the ``mailing.feed`` job.
"""
