"""The queue interface a hall-bus member implements remotely: every argument and result of
``HallQueue`` is plain data (a remote implementation sends it as JSON), and the local
implementation satisfies it."""

from __future__ import annotations

import dataclasses
import enum
import inspect
import types
import typing
from datetime import date, datetime

from kiosk import hall_queue
from kiosk.hall_queue import HallQueue, LocalHallQueue

PLAIN = (str, int, float, bool, type(None), datetime, date)


def _plain(tp: object, seen: set[object], where: str) -> list[str]:
    if tp in PLAIN or tp is hall_queue.JsonValue or tp == typing.ForwardRef("JsonValue"):
        return []
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return []
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType, tuple, list, dict):
        out: list[str] = []
        for arg in typing.get_args(tp):
            if arg is not Ellipsis:
                out += _plain(arg, seen, where)
        return out
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if tp in seen:
            return []
        seen.add(tp)
        hints = typing.get_type_hints(tp)
        out = []
        for f in dataclasses.fields(tp):
            out += _plain(hints[f.name], seen, f"{where} -> {tp.__name__}.{f.name}")
        return out
    return [f"{where}: {tp!r}"]


def test_every_argument_and_result_is_plain_data() -> None:
    problems: list[str] = []
    seen: set[object] = set()
    methods = [n for n, v in vars(HallQueue).items() if inspect.isfunction(v) and not n.startswith("_")]
    assert {"take_ticket", "check_in", "counter_action", "submit_evaluation", "display_model"} <= set(methods)
    for name in methods:
        hints = typing.get_type_hints(getattr(HallQueue, name))
        for arg, tp in hints.items():
            problems += _plain(tp, seen, f"{name}({arg})")
    assert problems == []


def test_the_local_queue_implements_the_protocol() -> None:
    proto = {n for n, v in vars(HallQueue).items() if inspect.isfunction(v) and not n.startswith("_")}
    for name in proto:
        local = getattr(LocalHallQueue, name)
        assert inspect.signature(local) == inspect.signature(getattr(HallQueue, name)), name
