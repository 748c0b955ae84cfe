"""The registry of screens: every screen the kiosk can show, its presenter, and the sample state
it is rendered in for screenshots.

A screen is ``qml/screens/<name>.qml`` + ``viewmodels/<name>.py`` + ``presenters/<name>.py``
and one ``ScreenSpec`` line in ``SCREENS``. ``prepare`` puts fictional sample data into the
view-models so a screenshot shows the screen as a citizen or clerk would see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from types import ModuleType

from kiosk.privacy import mask_name
from kiosk.settings.schema import Settings
from kiosk.technician import DeviceRow
from ui.context import UiContext
from ui.presenters.apply import ApplyPresenter
from ui.presenters.appointment import AppointmentPresenter
from ui.presenters.base import Presenter
from ui.presenters.case_progress import CaseProgressPresenter
from ui.presenters.counter import CounterPresenter
from ui.presenters.error_printer import ErrorPresenter
from ui.presenters.evaluation import EvaluationPresenter
from ui.presenters.hall_display import HallDisplayPresenter
from ui.presenters.home import HomePresenter
from ui.presenters.identify import IdentifyPresenter
from ui.presenters.item_search import ItemSearchPresenter
from ui.presenters.my_licences import MyLicencesPresenter
from ui.presenters.service_guide import ServiceGuidePresenter
from ui.presenters.statistics import StatisticsPresenter
from ui.presenters.take_number import TakeNumberPresenter
from ui.presenters.technician import TechnicianPresenter, device_rows
from ui.presenters.ticket_printed import TicketPresenter
from ui.qt import QObject
from ui.viewmodels.selfservice import ApplyViewModel, LicencesViewModel


def _samples() -> ModuleType:
    """The screenshot samples (the reference platform's demo hall and catalog), loaded only when
    a sample is rendered: the running kiosk never imports the reference platform."""
    from ui import sample_data

    return sample_data


def _prepare_home(ctx: UiContext) -> None:
    ctx.ui.set_online(True)
    ctx.home.set_waiting(_samples().waiting_rows())


def _prepare_identify(ctx: UiContext) -> None:
    ctx.ui.set_online(True)
    ctx.identify.start("take_number")
    ctx.identify.reading("id_card")


def _prepare_take_number(ctx: UiContext) -> None:
    ctx.ui.set_online(True)
    ctx.take_number.set_categories(_samples().CATEGORIES)


def _prepare_item_search(ctx: UiContext) -> None:
    ctx.ui.set_online(True)
    ctx.search.update(query="bdc", results=_samples().SEARCH_RESULTS, searched=True)


def _prepare_ticket(ctx: UiContext) -> None:
    ctx.ui.set_online(True)
    ctx.ticket.show(_samples().ticket("A023", holder=mask_name(_samples().LI_MINGHUA.name)))
    ctx.ticket.set_print_status("printed")


def _prepare_appointment(ctx: UiContext) -> None:
    ctx.ui.set_online(True)
    booking = {  # as the appointment presenter builds it from a check-in's result
        "item": _samples().HALL.category_name("B"),
        "itemEn": _samples().HALL.category_name_en("B"),
        "slot": "09:30-10:00",
        "categoryName": _samples().HALL.category_name("B"),
        "categoryNameEn": _samples().HALL.category_name_en("B"),
        "holder": mask_name(_samples().LI_MINGHUA.name),
    }
    ticket = _samples().ticket("B006", priority="appointment") | {"peopleAhead": 1}
    ctx.appointment.checked_in(booking, ticket)


def _prepare_case(ctx: UiContext) -> None:
    ctx.ui.set_online(True)
    ctx.case_progress.found(_samples().CASE_LI)


def _prepare_guide(ctx: UiContext) -> None:
    ctx.ui.set_online(True)
    ctx.guide.show(_samples().GUIDE_ITEM)


def _prepare_evaluation(ctx: UiContext) -> None:
    ctx.ui.set_online(True)
    ctx.evaluation.for_ticket(
        "T-SAMPLE", "B006", 3, _samples().HALL.category_name("B"), _samples().HALL.category_name_en("B")
    )
    ctx.evaluation.setLevel(5)
    ctx.evaluation.toggleTag("fast")
    ctx.evaluation.toggleTag("clear")


def _prepare_error(ctx: UiContext) -> None:
    ctx.ui.set_online(True)
    ctx.error.show("paper_out", reference="PRN-PAPER-OUT")


def _prepare_hall(ctx: UiContext) -> None:
    ctx.hall.update(current={}, recent=[], callSerial=0)
    for number, counter in (("D011", 7), ("C014", 5), ("A021", 1), ("B005", 4), ("A022", 2), ("C015", 6)):
        ctx.hall.call(number, counter)
    ctx.hall.call("A023", 2, _samples().HALL.category_name("A"), _samples().HALL.category_name_en("A"))
    ctx.hall.set_waiting(_samples().waiting_rows())
    ctx.hall.set_notice(
        "温馨提示：70 岁以上长者、残疾人、孕妇请到 E 区咨询/帮办窗口优先办理。"
        "  Seniors over 70, people with disabilities and pregnant women: "
        "please go to zone E for priority service."
    )


def _prepare_counter(ctx: UiContext) -> None:
    ctx.counter.update(
        counter=3,
        categories=[{"code": "B", "name": "不动产登记", "nameEn": "Real estate registration"}],
        servedToday=17,
        waitingCount=5,
        waiting=[
            {"number": "B007", "categoryCode": "B", "waitedMin": 14, "priority": ""},
            {"number": "B008", "categoryCode": "B", "waitedMin": 11, "priority": "elderly"},
            {"number": "B009", "categoryCode": "B", "waitedMin": 8, "priority": ""},
            {"number": "B010", "categoryCode": "B", "waitedMin": 5, "priority": ""},
            {"number": "B011", "categoryCode": "B", "waitedMin": 2, "priority": ""},
        ],
        transferTargets=[
            {"code": c["code"], "name": c["name"], "nameEn": c["name_en"]}
            for c in _samples().CATEGORIES
            if c["code"] != "B"
        ],
    )
    ctx.counter.set_current(
        {
            "number": "B006",
            "categoryName": "不动产登记",
            "categoryNameEn": "Real estate registration",
            "holder": mask_name(_samples().LI_MINGHUA.name),
            "item": "转移登记",
            "itemEn": "Transfer registration",
            "priority": "appointment",
            "calledAt": "09:28",
            "waitedMin": 3,
            "recalls": 0,
        }
    )
    ctx.counter.set_rating("requested")


def _prepare_technician(ctx: UiContext) -> None:
    t = ctx.technician
    t.update(
        unlocked=True,
        page="devices",
        # as the technician presenter maps the core's device rows ("at code: message" errors)
        devices=device_rows(
            [
                DeviceRow(
                    "idcard", "id_card_reader", "sam_serial", "idle", "", "SAM 05.01-20231108 · /dev/ttyUSB0"
                ),
                DeviceRow("scanner", "code_scanner", "serial_scanner", "idle", "", "/dev/ttyACM0 9600"),
                DeviceRow(
                    "printer",
                    "ticket_printer",
                    "escpos",
                    "error",
                    "09:12 paper_out: paper out",
                    "paper: out · cuts today 212",
                    error_code="paper_out",
                    error_at="09:12",
                ),
                DeviceRow(
                    "sscard",
                    "card_reader",
                    "pcsc",
                    "offline",
                    "08:02 no_reader: no reader found",
                    "",
                    error_code="no_reader",
                    error_at="08:02",
                ),
                DeviceRow("voice", "announcer", "espeak", "idle", "", "espeak-ng zh"),
            ]
        ),
    )


def _prepare_statistics(ctx: UiContext) -> None:
    ctx.statistics.update(
        date="2026-11-23",
        categories=[
            {
                "code": c["code"],
                "name": c["name"],
                "nameEn": c["name_en"],
                "issued": i,
                "served": s,
                "waiting": c["waiting"],
                "avgWait": a,
                "p95Wait": p,
            }
            for c, i, s, a, p in zip(
                _samples().CATEGORIES,
                (64, 31, 45, 22, 18),
                (52, 26, 37, 19, 16),
                (18.5, 12.0, 14.2, 7.5, 3.1),
                (41.0, 27.5, 30.0, 16.0, 8.0),
                strict=True,
            )
        ],
        counters=[
            {"counter": n, "served": s, "avgWait": w, "avgService": v}
            for n, s, w, v in (
                (1, 27, 17.0, 9.5),
                (2, 25, 19.8, 10.1),
                (3, 14, 11.2, 14.0),
                (4, 12, 12.9, 15.2),
                (5, 19, 13.1, 7.7),
                (6, 18, 15.3, 8.1),
                (7, 19, 7.5, 6.0),
                (8, 16, 3.1, 5.2),
            )
        ],
        appointmentPct=91.3,
        appointmentCount=23,
        evaluations=[1, 2, 6, 41, 88],
        evaluationAvg=4.55,
    )


def _prepare_licences(ctx: UiContext) -> None:
    from ui.presenters.my_licences import both, licence_view

    ctx.ui.set_online(True)
    vm = ctx.vm(LicencesViewModel)
    found = _samples().licences_of_li()
    vm.raw = {str(x["licence_id"]): x for x in found}
    vm.update(
        step="list",
        holder=mask_name(_samples().LI_MINGHUA.name),
        licences=[licence_view(x) for x in found],
        printing="printed",
        printMsg=both("licence_printed"),
        printedId="L-0002",
    )


def _prepare_apply(ctx: UiContext) -> None:
    from kiosk.selfservice.forms import Form, prefill
    from kiosk.selfservice.service import card_facts
    from ui.presenters.apply import form_view

    ctx.ui.set_online(True)
    vm = ctx.vm(ApplyViewModel)
    form = Form.from_json(_samples().first_form())
    identity = replace(_samples().LI_MINGHUA, address="北京市朝阳区建国路88号", gender="男", nation="汉")
    lics = _samples().licences_of_li()
    filled = prefill(form, card_facts(identity), lics, _samples().HALL_PROFILE)
    filled = replace(filled, values={**filled.values, "reason": "买卖"})  # as typed by the citizen
    vm.update(step="form", itemCode=form.item_code, **form_view(form, filled))


def _nothing(ctx: UiContext) -> None:
    pass


@dataclass(frozen=True)
class ScreenSpec:
    """One screen: ``qml/screens/<name>.qml``, its presenter (``ui/presenters/<name>.py``), the
    sample state its screenshot shows, whether the idle timeout applies (a citizen screen), and
    for a screen with a view-model of its own that ``UiContext`` does not build, the view-model
    and the name QML knows it by."""

    name: str
    presenter: type[Presenter]
    prepare: Callable[[UiContext], None] = _nothing
    citizen: bool = False
    viewmodel: Callable[[], QObject] | None = None
    qml_name: str = ""
    finished: Callable[[UiContext], bool] | None = None
    """When the citizen's errand is done on this screen (it then goes home by itself after a
    short visible countdown, ``ui.home_countdown``)."""

    def is_finished(self, ctx: UiContext) -> bool:
        return self.finished is not None and self.finished(ctx)

    def new_viewmodel(self) -> QObject | None:
        return self.viewmodel() if self.viewmodel is not None else None


SCREENS: list[ScreenSpec] = [
    ScreenSpec("home", HomePresenter, _prepare_home),
    ScreenSpec("identify", IdentifyPresenter, _prepare_identify, citizen=True),
    ScreenSpec("take_number", TakeNumberPresenter, _prepare_take_number, citizen=True),
    ScreenSpec("item_search", ItemSearchPresenter, _prepare_item_search, citizen=True),
    ScreenSpec("ticket_printed", TicketPresenter, _prepare_ticket, citizen=True, finished=lambda c: True),
    ScreenSpec(
        "appointment",
        AppointmentPresenter,
        _prepare_appointment,
        citizen=True,
        finished=lambda c: c.appointment.get("step") == "done",
    ),
    ScreenSpec("case_progress", CaseProgressPresenter, _prepare_case, citizen=True),
    ScreenSpec("service_guide", ServiceGuidePresenter, _prepare_guide, citizen=True),
    ScreenSpec(
        "evaluation",
        EvaluationPresenter,
        _prepare_evaluation,
        citizen=True,
        finished=lambda c: c.evaluation.get("step") == "thanks",
    ),
    ScreenSpec("error_printer", ErrorPresenter, _prepare_error, citizen=True),
    ScreenSpec("hall_display", HallDisplayPresenter, _prepare_hall),
    ScreenSpec("counter", CounterPresenter, _prepare_counter),
    ScreenSpec("technician", TechnicianPresenter, _prepare_technician),
    ScreenSpec("statistics", StatisticsPresenter, _prepare_statistics),
    ScreenSpec(
        "my_licences",
        MyLicencesPresenter,
        _prepare_licences,
        citizen=True,
        viewmodel=LicencesViewModel,
        qml_name="licencesVm",
    ),
    ScreenSpec(
        "apply", ApplyPresenter, _prepare_apply, citizen=True, viewmodel=ApplyViewModel, qml_name="applyVm"
    ),
]
"""The one list of screens: a new screen is its QML file, view-model, presenter, its strings
(``ui/i18n/strings.toml``) and one line here."""


def screen_names() -> list[str]:
    return [s.name for s in SCREENS]


def new_context(settings: Settings, *, locked: bool = False, live_clock: bool = True) -> UiContext:
    """The UI context with every registered screen (view-models, idle rule)."""
    return UiContext(settings, locked=locked, live_clock=live_clock, screens=SCREENS)
