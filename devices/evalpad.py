"""The evaluation pad (好差评 评价器) interface: five keys, 5 非常满意 … 1 非常不满意.

The pad emits ``rating`` events ``{"counter": int, "level": 1-5, "pad": int}``; binding a
rating to the ticket just served (one rating per service) is the queue engine's job, which
then records ``evaluation.submitted``. ``invite`` lights the pad / shows 请评价 after a
service so the citizen knows a rating is welcome (never forced).
"""

from __future__ import annotations

from abc import abstractmethod

from devices.base import Device, DeviceKind

LEVEL_LABELS: dict[int, str] = {
    5: "非常满意",
    4: "满意",
    3: "基本满意",
    2: "不满意",
    1: "非常不满意",
}


class EvaluationPad(Device):
    kind = DeviceKind.EVALUATION_PAD

    @abstractmethod
    def invite(self, counter: int) -> bool:
        """Ask the pad at this window to invite a rating; False when the pad did not answer."""
