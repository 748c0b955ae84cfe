"""The QML engine and the view-models it binds to, built the same way for the real app,
the tests and the screenshot renderer."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import shiboken6

from kiosk.paths import Paths
from kiosk.pin import LockoutFile
from kiosk.settings.schema import Settings
from ui.i18n import Translator
from ui.idle import IdleWatcher
from ui.qt import (
    QCoreApplication,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QObject,
    QQmlApplicationEngine,
    QQuickWindow,
    QSGRendererInterface,
    QUrl,
)
from ui.tasks import TaskRunner
from ui.viewmodels.appointment import AppointmentViewModel
from ui.viewmodels.case_progress import CaseProgressViewModel
from ui.viewmodels.counter import CounterViewModel
from ui.viewmodels.error import ErrorViewModel
from ui.viewmodels.evaluation import EvaluationViewModel
from ui.viewmodels.guide import ServiceGuideViewModel
from ui.viewmodels.hall_display import HallDisplayViewModel
from ui.viewmodels.home import HomeViewModel
from ui.viewmodels.identify import IdentifyViewModel
from ui.viewmodels.search import ItemSearchViewModel
from ui.viewmodels.statistics import StatisticsViewModel
from ui.viewmodels.take_number import TakeNumberViewModel
from ui.viewmodels.technician import TechnicianViewModel
from ui.viewmodels.ticket import TicketViewModel
from ui.viewmodels.ui_state import UiState

QML_DIR = Path(__file__).parent / "qml"
V = TypeVar("V", bound=QObject)
CJK_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Source Han Sans SC")


def ensure_qapp() -> QGuiApplication:
    """One QGuiApplication per process; software rendering where there is no GPU/display."""
    app = QGuiApplication.instance()
    if app is None:
        # The on-screen keyboard (with pinyin) must be chosen before the application exists.
        os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
        if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal") or os.environ.get(
            "KIOSK_SOFTWARE_RENDER"
        ):
            QQuickWindow.setGraphicsApi(QSGRendererInterface.GraphicsApi.Software)
        app = QGuiApplication([os.environ.get("KIOSK_APP_NAME", "kiosk")])
        app.setApplicationName("hall-kiosk")
    assert isinstance(app, QGuiApplication)
    return app


def cjk_family() -> str:
    """The first installed CJK font family, so Chinese never renders as boxes."""
    families = set(QFontDatabase.families())
    for fam in CJK_FAMILIES:
        if fam in families:
            return fam
    return QFont().defaultFamily()


class ScreenDecl(Protocol):
    """What the context needs of a registered screen (``ui.screens.ScreenSpec``)."""

    @property
    def name(self) -> str: ...
    @property
    def citizen(self) -> bool: ...
    @property
    def qml_name(self) -> str: ...
    def new_viewmodel(self) -> QObject | None: ...


LOCKOUT_FILE = "technician-lockout.json"
"""In the data directory: wrong PIN tries survive a restart."""


@dataclass
class UiContext:
    settings: Settings
    locked: bool = False
    live_clock: bool = True
    screens: Sequence[ScreenDecl] = ()
    """The registered screens (``ui.screens.SCREENS``; ``ui.screens.new_context`` passes them)."""
    engine: QQmlApplicationEngine = field(init=False)
    tr: Translator = field(init=False)
    ui: UiState = field(init=False)
    home: HomeViewModel = field(init=False)
    identify: IdentifyViewModel = field(init=False)
    take_number: TakeNumberViewModel = field(init=False)
    ticket: TicketViewModel = field(init=False)
    search: ItemSearchViewModel = field(init=False)
    appointment: AppointmentViewModel = field(init=False)
    case_progress: CaseProgressViewModel = field(init=False)
    guide: ServiceGuideViewModel = field(init=False)
    evaluation: EvaluationViewModel = field(init=False)
    error: ErrorViewModel = field(init=False)
    hall: HallDisplayViewModel = field(init=False)
    counter: CounterViewModel = field(init=False)
    technician: TechnicianViewModel = field(init=False)
    statistics: StatisticsViewModel = field(init=False)
    tasks: TaskRunner = field(init=False)
    idle: IdleWatcher = field(init=False)
    extra: dict[str, QObject] = field(default_factory=dict)
    _closed: bool = field(default=False, init=False)
    """Further view-models by their QML name (added by screens as they are built)."""

    def __post_init__(self) -> None:
        app = ensure_qapp()
        family = cjk_family()
        app.setFont(QFont(family))
        t = self.settings.terminal
        self.tr = Translator(t.language)
        self.ui = UiState(
            profile=t.profile,
            orientation=t.orientation,
            elderly=t.elderly_mode,
            hall_name=t.hall_name,
            hall_name_en=t.hall_name_en,
            locked=self.locked,
            font_family=family,
            live_clock=self.live_clock,
        )
        self.home = HomeViewModel()
        u = self.settings.ui
        self.identify = IdentifyViewModel()
        self.take_number = TakeNumberViewModel()
        self.ticket = TicketViewModel()
        self.search = ItemSearchViewModel()
        self.appointment = AppointmentViewModel()
        self.case_progress = CaseProgressViewModel()
        self.guide = ServiceGuideViewModel()
        self.evaluation = EvaluationViewModel()
        self.error = ErrorViewModel()
        self.hall = HallDisplayViewModel()
        self.counter = CounterViewModel()
        self.counter.update(counter=t.counter)
        self.technician = TechnicianViewModel(
            pin_hash=u.technician_pin_hash,
            admin_uids=u.admin_card_uids,
            lockout_s=u.pin_lockout_s,
            lockout_file=LockoutFile(Paths.from_settings(self.settings.paths).data / LOCKOUT_FILE),
        )
        self.statistics = StatisticsViewModel()
        self.hall.set_notice(u.notice)
        self.extra.update(
            {
                "identifyVm": self.identify,
                "takeNumberVm": self.take_number,
                "ticketVm": self.ticket,
                "searchVm": self.search,
                "appointmentVm": self.appointment,
                "caseVm": self.case_progress,
                "guideVm": self.guide,
                "evaluationVm": self.evaluation,
                "errorVm": self.error,
                "hallVm": self.hall,
                "counterVm": self.counter,
                "techVm": self.technician,
                "statsVm": self.statistics,
            }
        )
        self.vms: dict[str, QObject] = {}
        """View-models of registered screens that bring their own (by screen name)."""
        for spec in self.screens:
            vm = spec.new_viewmodel()
            if vm is not None:
                self.vms[spec.name] = vm
                self.extra[spec.qml_name] = vm
        self.tasks = TaskRunner()
        self.idle = IdleWatcher(
            citizen_screens=frozenset(s.name for s in self.screens if s.citizen),
            timeout_s=t.idle_timeout_s,
            countdown_s=u.idle_countdown_s,
            screen=lambda: str(self.ui.screen),
            elderly=lambda: bool(self.ui.elderly),
            live=self.live_clock,
        )
        self.extra["idle"] = self.idle
        self.idle.expired.connect(self.idle_reset)
        self.ui.homeRequested.connect(self.go_home)
        self.technician.leaveRequested.connect(self.go_home)
        self.technician.exitRequested.connect(self._exit_to_desktop)
        app.installEventFilter(self.idle)
        self.engine = QQmlApplicationEngine()

    def vm(self, cls: type[V]) -> V:
        """A registered screen's own view-model, by its type (``ScreenSpec.viewmodel``)."""
        for obj in self.vms.values():
            if isinstance(obj, cls):
                return obj
        raise LookupError(cls.__name__)

    def context_objects(self) -> dict[str, QObject]:
        return {"tr": self.tr, "ui": self.ui, "homeVm": self.home, **self.extra}

    def load(self) -> Any:
        root = self.engine.rootContext()
        for name, obj in self.context_objects().items():
            root.setContextProperty(name, obj)
        self.engine.load(QUrl.fromLocalFile(str(QML_DIR / "Main.qml")))
        roots = self.engine.rootObjects()
        if not roots:
            raise RuntimeError("the QML user interface failed to load (see the log for QML errors)")
        return roots[0]

    def close(self) -> None:
        """Destroy the engine and its QML objects now, while the view-models they bind to are
        still alive; otherwise garbage collection order spills binding errors at exit."""
        if self._closed:
            return
        self._closed = True
        self.idle.stop()
        app = QGuiApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        self.tasks.wait(5000)
        for obj in self.engine.rootObjects():
            obj.setProperty("visible", False)
        shiboken6.delete(self.engine)
        QCoreApplication.processEvents()

    def go_home(self) -> None:
        """A citizen's session ends (home button, ticket taken, idle): nothing of theirs stays."""
        self.reset_personal_data()
        for vm in (self.take_number, self.appointment, self.case_progress, self.evaluation):
            vm.reset()
        self.ui.go(self.ui.home_screen())

    def idle_reset(self) -> None:
        """Idle timeout: home, personal data wiped, language and mode back to the defaults."""
        t = self.settings.terminal
        self.go_home()
        self.tr.setLang(t.language)
        self.ui.set_elderly(t.elderly_mode)

    def _exit_to_desktop(self) -> None:
        QCoreApplication.exit(0)

    def vm_holding_personal_data(self) -> list[str]:
        """Names of view-models that still hold personal data (empty after a wipe)."""
        out = []
        for name, obj in self.context_objects().items():
            check = getattr(obj, "holds_personal_data", None)
            if callable(check) and check():
                out.append(name)
        return out

    def reset_personal_data(self) -> None:
        """Idle wipe: every view-model that can hold personal data clears it."""
        for obj in self.context_objects().values():
            wipe = getattr(obj, "wipe_personal_data", None)
            if callable(wipe):
                wipe()
