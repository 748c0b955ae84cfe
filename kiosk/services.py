"""The running services of the core, typed: what the wiring built, for the front ends.

The wiring fills these attributes as it starts each service (None where a service did not start:
no store, no hall profile yet); the front ends read them by attribute, so a renamed or missing
service is a type error, not a ``KeyError`` in front of a citizen. Screens do not read this
directly: they go through the façade (``kiosk.facade.Kiosk``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from devices.manager import DeviceManager
    from kiosk.catalog import CatalogService
    from kiosk.device_faults import FaultTracker
    from kiosk.hall.host import HallHost
    from kiosk.hall.member import RemoteQueue
    from kiosk.hall_queue import HallQueue
    from kiosk.ops.snapshot import SnapshotWriter
    from kiosk.platform.access import PlatformAccess
    from kiosk.platform.sync import SyncEngine
    from kiosk.queue.service import QueueService
    from kiosk.selfservice.service import SelfService
    from kiosk.usecases import UseCases
    from offline_cache.errors import StoreUnavailable
    from offline_cache.store import Store


@dataclass
class Services:
    store: Store | None = None
    store_error: StoreUnavailable | None = None
    """Why the store did not open (for the technician screens)."""
    devices: DeviceManager | None = None
    device_faults: FaultTracker | None = None
    queue: QueueService | None = None
    """This box's own queue (standalone or hall host); None on a box without one."""
    usecases: UseCases | None = None
    hall_queue: HallQueue | None = None
    """The queue every front end uses (local here; the hall bus plugs in a remote one)."""
    queue_status: str = ""
    """``ready``, ``hall_profile_missing``, ``store_unavailable`` or ``hall_bus_misconfigured``."""
    hall_host: HallHost | None = None
    """The hall bus host serving ``queue`` (``[hall] role = "host"``)."""
    remote_queue: RemoteQueue | None = None
    """A hall bus member's view of the host's queue (``[hall] role = "member"``)."""
    hall_status: str = ""
    """Why the hall bus did not start (empty when it did, or when the box is standalone)."""
    sync: SyncEngine | None = None
    platform: PlatformAccess | None = None
    catalog: CatalogService | None = None
    ops: SnapshotWriter | None = None
    selfservice: SelfService | None = None
    """E-licences, forms and applications (None without a store or its data key)."""
