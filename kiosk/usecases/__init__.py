"""Use cases of the queue for every front end (citizen UI, counter UI, keypads, pads, CLI).

Each returns a plain ``Result`` (ok, message key, params, ticket view); ``Result.text(lang)``
gives the sentence in Chinese or English (``kiosk.usecases.messages``).
"""

from __future__ import annotations

from kiosk.usecases.citizen import CheckInConfig, CitizenUseCases
from kiosk.usecases.counter import CounterUseCases
from kiosk.usecases.messages import text
from kiosk.usecases.results import Result, TicketView


class UseCases(CitizenUseCases, CounterUseCases):
    """Both sides of the queue over one ``QueueService`` (built like ``CitizenUseCases``)."""


__all__ = ["CheckInConfig", "Result", "TicketView", "UseCases", "text"]
