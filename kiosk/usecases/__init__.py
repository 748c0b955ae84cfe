"""Use cases of the queue for every front end (citizen UI, counter UI, keypads, pads, CLI).

Each returns a plain ``Result`` (ok, message key, params, ticket view); ``Result.text(lang)``
gives the sentence in Chinese or English (``kiosk.usecases.messages``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.queue.service import QueueService
from kiosk.usecases.citizen import CheckInConfig, CitizenUseCases
from kiosk.usecases.counter import CounterUseCases
from kiosk.usecases.messages import text
from kiosk.usecases.results import Result, TicketView

if TYPE_CHECKING:
    from devices.manager import DeviceManager
    from offline_cache.store import Store


class UseCases(CitizenUseCases, CounterUseCases):
    def __init__(
        self,
        queue: QueueService,
        *,
        store: Store,
        devices: DeviceManager | None = None,
        config: CheckInConfig | None = None,
        hall_name: str = "",
        publish: Callable[[object], None] | None = None,
        print_timeout_s: float = 20.0,
    ) -> None:
        CitizenUseCases.__init__(
            self,
            queue,
            store=store,
            devices=devices,
            config=config,
            hall_name=hall_name,
            print_timeout_s=print_timeout_s,
        )
        self.publish = publish


__all__ = ["CheckInConfig", "Result", "TicketView", "UseCases", "text"]
