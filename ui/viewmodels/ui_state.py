"""State every screen shares: current screen, orientation, elderly mode, clock, online badge."""

from __future__ import annotations

from datetime import datetime

from ui.qt import Property, QObject, QTimer, Signal, Slot


class UiState(QObject):
    screenChanged = Signal()
    elderlyChanged = Signal()
    orientationChanged = Signal()
    onlineChanged = Signal()
    clockChanged = Signal()
    hallChanged = Signal()
    homeRequested = Signal()
    speakRequested = Signal(str)
    technicianRequested = Signal()

    def __init__(
        self,
        *,
        profile: str,
        orientation: str,
        elderly: bool,
        hall_name: str,
        hall_name_en: str,
        locked: bool,
        font_family: str,
        live_clock: bool = True,
    ) -> None:
        super().__init__()
        self._profile = profile
        self._screen = self.home_screen()
        self._orientation = orientation
        self._elderly = elderly
        self._online = False
        self._hall = {"zh": hall_name, "en": hall_name_en}
        self._locked = locked
        self._font_family = font_family
        self._now = datetime.now()
        self._live_clock = live_clock
        self._timer: QTimer | None = None
        if live_clock:
            self._timer = QTimer(self)
            self._timer.setInterval(1000)
            self._timer.timeout.connect(self._tick)
            self._timer.start()

    def _tick(self) -> None:
        self._now = datetime.now()
        self.clockChanged.emit()

    def set_now(self, now: datetime) -> None:
        """Freeze the clock (screenshots show a fixed, plausible time)."""
        if self._timer is not None:
            self._timer.stop()
        self._now = now
        self.clockChanged.emit()

    # --- properties -------------------------------------------------------------------
    def _get_screen(self) -> str:
        return self._screen

    @Slot(str)
    def go(self, screen: str) -> None:
        if screen != self._screen:
            self._screen = screen
            self.screenChanged.emit()

    def home_screen(self) -> str:
        """Where this device rests: the hall TV and the clerk's caller have their own home."""
        return {"hall_display": "hall_display", "counter": "counter"}.get(self._profile, "home")

    @Slot()
    def goHome(self) -> None:
        self.homeRequested.emit()

    @Slot(str)
    def speak(self, text: str) -> None:
        """Voice prompt (elderly mode reads screens aloud through the announcer device)."""
        if text:
            self.speakRequested.emit(text)

    @Slot()
    def openTechnician(self) -> None:
        self.go("technician")
        self.technicianRequested.emit()

    def _get_elderly(self) -> bool:
        return self._elderly

    def set_elderly(self, on: bool) -> None:
        if on != self._elderly:
            self._elderly = on
            self.elderlyChanged.emit()

    @Slot()
    def toggleElderly(self) -> None:
        self.set_elderly(not self._elderly)

    def _get_orientation(self) -> str:
        return self._orientation

    def set_orientation(self, orientation: str) -> None:
        if orientation != self._orientation:
            self._orientation = orientation
            self.orientationChanged.emit()

    def _get_online(self) -> bool:
        return self._online

    def set_online(self, online: bool) -> None:
        if online != self._online:
            self._online = online
            self.onlineChanged.emit()

    def _get_time(self) -> str:
        return self._now.strftime("%H:%M")

    def _get_date(self) -> str:
        return self._now.strftime("%Y-%m-%d")

    def _get_weekday(self) -> int:
        return self._now.isoweekday()

    def _get_hall_zh(self) -> str:
        return self._hall["zh"]

    def _get_hall_en(self) -> str:
        return self._hall["en"]

    def set_hall_names(self, zh: str, en: str) -> None:
        self._hall = {"zh": zh, "en": en}
        self.hallChanged.emit()

    def _get_profile(self) -> str:
        return self._profile

    def _get_locked(self) -> bool:
        return self._locked

    def _get_live_clock(self) -> bool:
        return self._live_clock

    def _get_font_family(self) -> str:
        return self._font_family

    screen = Property(str, _get_screen, go, notify=screenChanged)
    elderly = Property(bool, _get_elderly, set_elderly, notify=elderlyChanged)
    orientation = Property(str, _get_orientation, notify=orientationChanged)
    online = Property(bool, _get_online, notify=onlineChanged)
    time = Property(str, _get_time, notify=clockChanged)
    date = Property(str, _get_date, notify=clockChanged)
    weekday = Property(int, _get_weekday, notify=clockChanged)
    hallNameZh = Property(str, _get_hall_zh, notify=hallChanged)
    hallNameEn = Property(str, _get_hall_en, notify=hallChanged)
    profile = Property(str, _get_profile, constant=True)
    locked = Property(bool, _get_locked, constant=True)
    fontFamily = Property(str, _get_font_family, constant=True)
    liveClock = Property(bool, _get_live_clock, constant=True)
    """False while rendering screenshots: no animations, so every PNG is deterministic."""
