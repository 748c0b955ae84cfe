"""My licences and apply: the two self-service screens' view-models.

Everything here is the citizen's (their licences, their form), so every key is personal and the
idle wipe clears it all, together with the raw licences and photographed pages kept in Python
for printing and submitting (QML never sees a full ID number or a photograph's bytes).
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from ui.qt import Signal, Slot
from ui.viewmodels.base import StateViewModel


class LicencesViewModel(StateViewModel):
    printRequested = Signal(str)

    DEFAULTS: ClassVar[dict[str, Any]] = {
        "step": "idle",  # idle | loading | list | none | unavailable
        "message": {"zh": "", "en": ""},
        "holder": "",
        "licences": [],  # [{id, typeName, number (masked), issuer, validTo, status}]
        "printing": "",  # "" | printing | printed | failed
        "printMsg": {"zh": "", "en": ""},
        "printedId": "",
    }
    PERSONAL = frozenset(DEFAULTS)

    def __init__(self) -> None:
        super().__init__()
        self.raw: dict[str, dict[str, Any]] = {}

    @Slot(str)
    def print(self, licence_id: str) -> None:
        if licence_id in self.raw and self._state["printing"] != "printing":
            self.update(printing="printing", printedId=licence_id)
            self.printRequested.emit(licence_id)

    def wipe_personal_data(self) -> None:
        self.raw = {}
        super().wipe_personal_data()

    def reset(self) -> None:
        self.raw = {}
        super().reset()

    def holds_personal_data(self) -> bool:
        return bool(self.raw) or super().holds_personal_data()


class ApplyViewModel(StateViewModel):
    valueChanged = Signal(str, str)
    photographRequested = Signal(str)
    submitRequested = Signal()
    printRequested = Signal()

    DEFAULTS: ClassVar[dict[str, Any]] = {
        "step": "idle",  # idle | loading | form | summary | photos | submitting | receipt | no_form | error
        "itemCode": "",
        "title": "",
        "titleEn": "",
        "share": 0,  # % of the form's fields prefilled
        # [{key, label, labelEn, value, shown, source, prefilled, editable, type, choices, problem}]
        "fields": [],
        "current": "",  # key of the field being typed
        "materials": [],  # [{key, name, nameEn, required, pages, lastOk}]
        "camera": "",  # "" | busy | failed
        "cameraMsg": {"zh": "", "en": ""},
        "message": {"zh": "", "en": ""},
        "caseNumber": "",
        "localRef": "",
        "printing": "",  # "" | printing | printed | failed
        "printMsg": {"zh": "", "en": ""},
    }
    PERSONAL = frozenset(DEFAULTS)

    def __init__(self) -> None:
        super().__init__()
        self.pages: dict[str, list[bytes]] = {}
        self.values: dict[str, str] = {}
        self.form: Any = None
        self.submission: Any = None

    @Slot(str)
    def start(self, code: str) -> None:
        """From the service guide's "apply" (the screen then asks for the card if needed)."""
        self.reset()
        self.update(step="loading", itemCode=code)

    @Slot(str)
    def focus(self, key: str) -> None:
        self.update(current=key)

    @Slot(str, str)
    def setValue(self, key: str, text: str) -> None:
        fields = copy.deepcopy(self._state["fields"])
        for f in fields:
            if f["key"] == key and f["editable"]:
                f["value"] = f["shown"] = text
                f["problem"] = ""
                self.values[key] = text
        self.update(fields=fields)
        self.valueChanged.emit(key, text)

    @Slot()
    def toSummary(self) -> None:
        self.update(step="summary")

    @Slot()
    def toForm(self) -> None:
        self.update(step="form")

    @Slot()
    def toPhotos(self) -> None:
        self.update(step="photos")

    @Slot(str)
    def photograph(self, material: str) -> None:
        if self._state["camera"] != "busy":
            self.update(camera="busy")
            self.photographRequested.emit(material)

    @Slot()
    def submit(self) -> None:
        self.update(step="submitting", message={"zh": "", "en": ""})
        self.submitRequested.emit()

    @Slot()
    def printReceipt(self) -> None:
        if self._state["printing"] != "printing":
            self.update(printing="printing")
            self.printRequested.emit()

    def wipe_personal_data(self) -> None:
        self._drop()
        super().wipe_personal_data()

    def reset(self) -> None:
        self._drop()
        super().reset()

    def _drop(self) -> None:
        self.pages, self.values, self.form, self.submission = {}, {}, None, None

    def holds_personal_data(self) -> bool:
        return bool(self.pages or self.values) or super().holds_personal_data()
