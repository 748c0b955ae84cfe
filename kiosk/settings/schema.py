"""The one typed schema every terminal's configuration is checked against at start.

Sections are frozen dataclasses; defaults here mirror ``config/default.toml`` (the file is what
technicians read, the dataclass is what the code trusts). Add a section by adding a dataclass
and a field on ``Settings``; the validator needs no change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from kiosk.settings import validate

Profile = Literal["self_service", "ticket", "hall_display", "counter"]
Language = Literal["zh", "en"]
Orientation = Literal["portrait", "landscape"]


def _doc(text: str, **extra: Any) -> dict[str, Any]:
    return {"doc": text, **extra}


@dataclass(frozen=True)
class TerminalSettings:
    profile: Profile = field(default="self_service", metadata=_doc("what this device is"))
    id: str = field(
        default="T-UNPROVISIONED",
        metadata=_doc(
            "terminal id as provisioned on the platform",
            pattern=r"[A-Za-z0-9_.-]{1,64}",
            pattern_doc="must be 1-64 letters, digits, '.', '_' or '-'",
        ),
    )
    hall_name: str = field(default="政务服务中心", metadata=_doc("shown until the hall profile is synced"))
    hall_name_en: str = field(default="Government Service Centre", metadata=_doc("English name"))
    language: Language = field(default="zh", metadata=_doc("language at start and after idle"))
    orientation: Orientation = field(default="portrait", metadata=_doc("screen orientation"))
    elderly_mode: bool = field(default=False, metadata=_doc("start in 长者模式"))
    idle_timeout_s: int = field(
        default=60, metadata=_doc("seconds without touch before personal data is wiped", min=10, max=600)
    )
    counter: int = field(default=0, metadata=_doc("window number for the counter profile", min=0))


@dataclass(frozen=True)
class PathsSettings:
    data_dir: str = field(default="", metadata=_doc("empty = platform default; KIOSK_DATA_DIR wins"))
    cache_dir: str = field(default="", metadata=_doc("empty = platform default"))
    log_dir: str = field(default="", metadata=_doc("empty = platform default"))


@dataclass(frozen=True)
class LoggingSettings:
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    json: bool = field(default=False, metadata=_doc("JSON lines instead of text"))
    max_bytes: int = field(default=5_000_000, metadata=_doc("rotate after this size", min=10_000))
    backups: int = field(default=10, metadata=_doc("rotated files kept", min=1, max=1000))


@dataclass(frozen=True)
class PlatformSettings:
    url: str = field(
        default="",
        metadata=_doc(
            "platform base URL; empty = offline mode",
            pattern=r"(https?://\S+)?",
            pattern_doc="must be empty or an http(s):// URL",
        ),
    )
    terminal_id: str = ""
    hall_id: str = ""
    secret_file: str = field(default="", metadata=_doc("file holding the shared secret (0600)"))
    ca_bundle: str = field(default="", metadata=_doc("CA bundle for TLS; empty = system store"))
    timeout_s: float = field(default=10.0, metadata=_doc("per request", min=0.5, max=120))
    heartbeat_s: int = field(default=30, metadata=_doc("heartbeat period", min=5, max=3600))
    sync_interval_s: int = field(
        default=15, metadata=_doc("pull and retry the outbox this often", min=2, max=3600)
    )
    batch_size: int = field(default=500, metadata=_doc("events per push (max 500)", min=1, max=500))


@dataclass(frozen=True)
class StoreSettings:
    crypto: Literal["aes-gcm", "sm4-gcm"] = field(
        default="aes-gcm",
        metadata=_doc("at-rest encryption: AES-GCM/HMAC-SHA256, or SM4-GCM/HMAC-SM3 for 密评"),
    )
    key_file: str = field(default="", metadata=_doc("data key file (0600); empty = <data>/keys/store.key"))
    retention_days: int = field(
        default=30, metadata=_doc("purge synced personal data older than this", min=1, max=3650)
    )
    case_cache_ttl_s: int = field(default=600, metadata=_doc("keep case lookups", min=0, max=86400))
    backup_hour: int = field(
        default=2, metadata=_doc("local hour of the automatic daily backup; -1 = off", min=-1, max=23)
    )
    backups_kept: int = field(default=7, metadata=_doc("daily backups kept", min=1, max=365))
    backup_dir: str = field(default="", metadata=_doc("empty = <data>/backups"))


@dataclass(frozen=True)
class UiSettings:
    fullscreen: bool = field(default=True, metadata=_doc("kiosk run: fullscreen, frameless"))
    technician_pin_hash: str = field(
        default="", metadata=_doc("hashed technician PIN (kiosk technician set-pin)")
    )
    notice: str = field(default="", metadata=_doc("scrolling notice on the hall display"))
    idle_countdown_s: int = field(
        default=15, metadata=_doc("seconds of visible countdown before the idle wipe", min=5, max=120)
    )
    admin_card_uids: tuple[str, ...] = field(
        default=(), metadata=_doc("card UIDs (hex) that open technician mode without the PIN")
    )
    pin_lockout_s: int = field(
        default=300, metadata=_doc("technician PIN lockout after 5 wrong tries", min=30, max=86400)
    )


def _check_device_options(
    values: dict[str, Any], extras: dict[str, Any], path: str, report: validate.Report
) -> Any:
    """Options of a device table depend on its driver; look the driver up and check them."""
    from devices import registry

    driver = values.get("driver")
    if driver is None:
        return None
    try:
        info = registry.get(driver)
    except registry.UnknownDriver:
        known = ", ".join(registry.names()) or "none installed"
        report(f"{path}.driver", f"unknown driver {driver!r} (known: {known})")
        return None
    return validate.build(info.options, extras, path, report)


def _lane_weights() -> dict[str, int]:
    return {"appointment": 3, "elderly": 3, "disability": 3, "military": 2, "vip": 2, "normal": 1}


def _target_waits() -> dict[str, int]:
    return {"appointment": 10, "elderly": 20, "disability": 20, "military": 30, "vip": 30, "normal": 0}


@dataclass(frozen=True)
class QueueSettings:
    """Queue rules a hall may tune (the categories and counters come from the hall profile)."""

    elderly_age: int = field(default=70, metadata=_doc("age (from the ID card) for elderly priority", min=0))
    lane_weights: dict[str, int] = field(
        default_factory=_lane_weights,
        metadata=_doc("weighted calling: calls per round for each lane (appointment..normal); 0 = when idle"),
    )
    starvation_bound: int = field(
        default=5,
        metadata=_doc("weighted calling: nobody is passed over by over N later tickets", min=0, max=1000),
    )
    counter_weights: dict[str, dict[str, int]] = field(
        default_factory=dict, metadata=_doc('per counter, per category weight, e.g. {"8" = {E = 2, A = 1}}')
    )
    recall_max: int = field(default=2, metadata=_doc("recalls of one ticket at a window", min=0, max=10))
    no_show: Literal["requeue_once", "gone"] = field(
        default="requeue_once", metadata=_doc("skipped ticket: back of the queue once, or gone")
    )
    checkin_before_min: int = field(default=30, metadata=_doc("check-in opens before the slot", min=0))
    checkin_after_min: int = field(default=15, metadata=_doc("after this, late: a normal ticket", min=0))
    real_name_limit: int = field(
        default=3, metadata=_doc("tickets per ID per category per day; 0 = no limit", min=0, max=99)
    )
    stop_issuing_before_close_min: int = field(
        default=0, metadata=_doc("no numbers this close to closing", min=0)
    )
    enforce_hours: bool = field(
        default=True, metadata=_doc("refuse numbers outside the hall's opening hours")
    )
    default_service_min: float = field(
        default=5.0, metadata=_doc("service time assumed before any is measured", min=0.1, max=240)
    )
    rolling_window: int = field(default=20, metadata=_doc("services averaged for wait estimates", min=1))
    calling: Literal["service_level", "weighted"] = field(
        default="service_level",
        metadata=_doc("service_level: call the ticket due soonest (target waits); weighted: lane_weights"),
    )
    target_wait_min: dict[str, int] = field(
        default_factory=_target_waits,
        metadata=_doc("per priority lane, the promised wait in minutes after check-in/issue; 0 = none"),
    )
    category_target_wait_min: dict[str, dict[str, int]] = field(
        default_factory=dict, metadata=_doc("per category overrides, e.g. {B = {appointment = 30}}")
    )
    horizon_min: int = field(
        default=150,
        metadata=_doc("a lane without a target is due this long after it starts waiting", min=1, max=1440),
    )
    day_full: bool = field(
        default=False,
        metadata=_doc("stop issuing for a category its open windows cannot serve before closing"),
    )
    day_full_categories: dict[str, bool] = field(
        default_factory=dict, metadata=_doc("per category override of day_full, e.g. {E = false}")
    )
    confirm_wait_over_min: int = field(
        default=60, metadata=_doc("the citizen confirms a ticket estimated to wait longer; 0 = never", min=0)
    )
    near_turn_ahead: int = field(
        default=3,
        metadata=_doc('online tickets: "your turn is near" with this many ahead; 0 = never', min=0, max=99),
    )
    interrupted_print: Literal["reprint", "void"] = field(
        default="reprint", metadata=_doc("a ticket cut off by a crash: reprint on start (if recent) or void")
    )
    reprint_within_s: int = field(
        default=120, metadata=_doc("older interrupted tickets are voided, not reprinted", min=0)
    )


@dataclass(frozen=True)
class HallSettings:
    """Where this terminal's queue lives (``docs/hall-bus.md``): its own (standalone), or the
    hall's one queue, served by this box (host) or reached over the hall bus (member)."""

    role: Literal["standalone", "host", "member"] = field(
        default="standalone", metadata=_doc("standalone = own queue, no bus (as a single box)")
    )
    broker_url: str = field(
        default="",
        metadata=_doc(
            "the hall's MQTT broker, e.g. mqtt://10.0.0.2:1883 or mqtts://hall-host:8883",
            pattern=r"(mqtts?://[A-Za-z0-9_.\-\[\]:]+(:\d{1,5})?/?)?",
            pattern_doc="must be empty or mqtt://HOST[:PORT] / mqtts://HOST[:PORT]",
        ),
    )
    credentials_file: str = field(
        default="", metadata=_doc("file with this terminal's broker user and password (0600)")
    )
    ca_bundle: str = field(default="", metadata=_doc("CA bundle for mqtts://; empty = system store"))
    hall_id: str = field(
        default="",
        metadata=_doc(
            "hall id in the topics; empty = platform.hall_id",
            pattern=r"([A-Za-z0-9_.-]{1,64})?",
            pattern_doc="must be 1-64 letters, digits, '.', '_' or '-'",
        ),
    )
    request_timeout_s: float = field(
        default=3.0, metadata=_doc("a member waits this long for an answer before resending", min=0.2, max=60)
    )
    give_up_s: float = field(
        default=8.0, metadata=_doc("then says the host is unreachable", min=0.5, max=300)
    )
    lease_size: int = field(
        default=20,
        metadata=_doc(
            "numbers per category a ticket machine holds for offline issuing; 0 = none", min=0, max=200
        ),
    )
    display_stale_s: int = field(
        default=30,
        metadata=_doc("a display says 'connection lost' after this long without a state", min=2, max=3600),
    )


@dataclass(frozen=True)
class SelfServiceSettings:
    """The 24-hour self-service station: its A4 printer (a CUPS queue) for licences and receipts."""

    a4_queue: str = field(
        default="",
        metadata=_doc(
            "CUPS queue of the A4 printer; empty = no A4 printing",
            pattern=r"[A-Za-z0-9_.-]{0,127}",
            pattern_doc="must be a CUPS queue name (letters, digits, '.', '_' or '-')",
        ),
    )
    cups_server: str = field(default="", metadata=_doc("host:port or socket of CUPS; empty = the local one"))
    print_timeout_s: int = field(default=60, metadata=_doc("wait for an A4 job to finish", min=5, max=600))
    camera: str = field(
        default="", metadata=_doc("document camera: /dev/videoN, a device index, or a recorded stream file")
    )
    camera_dpi: int = field(
        default=200, metadata=_doc("photographed pages are kept at this resolution", min=100, max=400)
    )


@dataclass(frozen=True)
class DeviceSettings:
    """One ``[devices.NAME]`` table: ``driver`` picks the implementation, the rest are its options."""

    driver: str
    enabled: bool = True
    options: Any = None

    __extra_field__ = "options"
    __extra_check__ = staticmethod(_check_device_options)


@dataclass(frozen=True)
class Settings:
    terminal: TerminalSettings = field(default_factory=TerminalSettings)
    paths: PathsSettings = field(default_factory=PathsSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)
    platform: PlatformSettings = field(default_factory=PlatformSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    queue: QueueSettings = field(default_factory=QueueSettings)
    hall: HallSettings = field(default_factory=HallSettings)
    selfservice: SelfServiceSettings = field(default_factory=SelfServiceSettings)
    devices: dict[str, DeviceSettings] = field(default_factory=dict)

    @property
    def terminal_id(self) -> str:
        """The id this terminal reports under: the platform's once provisioned, else the local one."""
        return self.platform.terminal_id or self.terminal.id
