"""The ``[queue]`` settings as the engine's ``QueuePolicy``."""

from __future__ import annotations

import logging

from kiosk.queue.model import DEFAULT_TARGETS, Priority, QueuePolicy
from kiosk.settings.schema import QueueSettings

log = logging.getLogger(__name__)


def policy_from(s: QueueSettings) -> QueuePolicy:
    known = {p.value for p in Priority}
    weights = {k: v for k, v in s.lane_weights.items() if k in known}
    for k in sorted(set(s.lane_weights) - known):
        log.warning(
            "queue.lane_weights.%s is not a priority (known: %s); ignored", k, ", ".join(sorted(known))
        )
    for k in sorted(set(s.target_wait_min) - known):
        log.warning(
            "queue.target_wait_min.%s is not a priority (known: %s); ignored", k, ", ".join(sorted(known))
        )
    return QueuePolicy(
        lane_weights={p.value: max(0, int(weights.get(p.value, 1))) for p in Priority},
        starvation_bound=s.starvation_bound,
        recall_max=s.recall_max,
        no_show=s.no_show,
        real_name_limit=s.real_name_limit,
        elderly_age=s.elderly_age,
        counter_weights={
            str(k): {c: max(0, int(w)) for c, w in v.items()} for k, v in s.counter_weights.items()
        },
        stop_issuing_before_close_min=s.stop_issuing_before_close_min,
        default_service_min=s.default_service_min,
        rolling_window=s.rolling_window,
        enforce_hours=s.enforce_hours,
        calling=s.calling,
        target_wait_min={
            p.value: max(0, int(s.target_wait_min.get(p.value, DEFAULT_TARGETS[p.value]))) for p in Priority
        },
        category_target_wait_min={
            str(k): {lane: max(0, int(m)) for lane, m in v.items() if lane in known}
            for k, v in s.category_target_wait_min.items()
        },
        horizon_min=s.horizon_min,
        day_full=s.day_full,
        day_full_categories={str(k): bool(v) for k, v in s.day_full_categories.items()},
        confirm_wait_over_min=s.confirm_wait_over_min,
        near_turn_ahead=s.near_turn_ahead,
    )
