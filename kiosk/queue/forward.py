"""The hall played forward once, for every wait asked of it until the queue moves on.

A told wait is the moment a window of the ticket's category would call it if every window
went on calling the ticket due soonest among its categories, each service taking its
category's mean and priority tickets arriving at the last hour's rate. Playing that forward
costs a step per ticket ahead; a hall 3,000 tickets behind with 100 windows asked it for every
ticket issued (tests/bench/bench_queue_day.py: 10,000 plays of ~1,500 steps).

So the play is made once for a group of linked categories, without stopping at any one ticket:
every call of every window is recorded with the order key (due, order) of the ticket it takes.
A ticket of key K in category c is called at the first call of a c-window that takes a ticket
due after it (or finds nobody): until then its presence changes nothing (those windows took
tickets due before it), and at that call the window would have taken it instead. With the
running maximum of the keys taken by c's windows that is a binary search.

Tickets that joined after the play are counted in by the caller (``joined``): each one due
before the asking ticket takes one more call of its category's windows.
"""

from __future__ import annotations

import bisect
import heapq
import math
from dataclasses import dataclass

Key = tuple[float, float]
"""(due, order): due in epoch seconds; a future arrival has an order after everyone's."""

NOBODY: Key = (math.inf, math.inf)
LATER = float(2**62)
"""The order of a ticket that has not arrived yet: after every ticket issued."""


@dataclass(frozen=True)
class Stream:
    """Arrivals of one lane of one category to come, at the last hour's rate (minutes)."""

    first: float
    step: float
    due_in: float


@dataclass(frozen=True)
class Group:
    """What the play starts from: the open windows of linked categories and their queues."""

    t0: float
    """Minutes since the epoch when the play starts (now)."""
    windows: dict[int, tuple[str, ...]]
    """Open windows -> the categories each serves (in the group)."""
    free_at: dict[int, float]
    """When each window is next free (minutes since the epoch)."""
    service: dict[str, float]
    """Mean service minutes of each category."""
    queues: dict[str, list[tuple[float, int, str]]]
    """Waiting tickets of each category, sorted by (due seconds, order, id)."""
    streams: dict[str, tuple[Stream, ...]]
    until: dict[str, Key]
    """Per category the key past which no one asks (the farthest a ticket taken now is due)."""


class Play:
    """The calls of one group played forward, as each category's windows make them."""

    STEPS = 60000
    """A play stops here (a hall this far behind is asked the exact way, ticket by ticket)."""

    def __init__(self, group: Group) -> None:
        self.t0 = group.t0
        self.times: dict[str, list[float]] = {c: [] for c in group.queues}
        self.reach: dict[str, list[Key]] = {c: [] for c in group.queues}
        """Running maximum of the keys the category's windows took, call by call."""
        self.served = {c for ks in group.windows.values() for c in ks}
        self.joined: dict[str, list[Key]] = {}
        """Keys of the tickets that joined each category's queue since (kept by the engine)."""
        self.joined_ids: set[str] = set()
        self.age = 1.0
        """Minutes it answers for (set by the engine)."""
        self._run(group)

    def _run(self, g: Group) -> None:
        pending = set(self.served)
        pos = dict.fromkeys(g.queues, 0)
        streams = {k: [[s.first, s.step, s.due_in * 60.0] for s in g.streams.get(k, ())] for k in g.queues}
        # per category: the arrived ticket due soonest (due seconds, stream; -1: none) as of the
        # last look, and when the next one arrives: a window looks only when one came. An
        # arrival is due after every ticket already issued with the same due (order LATER).
        ready: dict[str, tuple[float, int]] = {}
        comes = dict.fromkeys(g.queues, -math.inf)
        inf = math.inf

        def look(k: str, at: float) -> None:
            due, best, nxt = inf, -1, inf
            for j, st in enumerate(streams[k]):
                arr = st[0]
                if arr <= at:
                    d = arr * 60.0 + st[2]
                    if d < due:
                        due, best = d, j
                elif arr < nxt:
                    nxt = arr
            ready[k] = (due, best)
            comes[k] = nxt

        free = [(g.free_at[n], n) for n in g.windows]
        heapq.heapify(free)
        times, reach, queues, service, windows, until = (
            self.times,
            self.reach,
            g.queues,
            g.service,
            g.windows,
            g.until,
        )
        heappop, heappush = heapq.heappop, heapq.heappush
        # one more round of every window once all are answered: the tickets joining while
        # the play is used take calls beyond the farthest key
        extra = len(windows)
        for _ in range(self.STEPS):
            if not pending:
                if extra == 0:
                    break
                extra -= 1
            if not free:
                break
            at, n = heappop(free)
            ks = windows[n]
            best_due, best_order = inf, inf
            best_k, best_i = "", -2
            for k in ks:
                q = queues[k]
                i = pos[k]
                if i < len(q):
                    head = q[i]
                    if head[0] < best_due or (head[0] == best_due and head[1] < best_order):
                        best_due, best_order, best_k, best_i = head[0], head[1], k, -1
                if comes[k] <= at:
                    look(k, at)
                due, j = ready[k]
                if j >= 0 and due < best_due:
                    best_due, best_order, best_k, best_i = due, LATER, k, j
            best: Key = (best_due, best_order)
            for k in ks:
                r = reach[k]
                times[k].append(at)
                if r and r[-1] >= best:
                    r.append(r[-1])
                else:
                    r.append(best)
                    if k in pending and best > until[k]:
                        pending.discard(k)
            if best_i == -2:
                later = min(comes[k] for k in ks)
                if later < inf:
                    heappush(free, (later, n))
                continue
            if best_i < 0:
                pos[best_k] += 1
            else:
                st = streams[best_k][best_i]
                st[0] += st[1]
                look(best_k, at)
            heappush(free, (at + service[best_k], n))

    @property
    def span(self) -> float:
        """Minutes from the start to the last call played."""
        return max((ts[-1] for ts in self.times.values() if ts), default=self.t0) - self.t0

    def call_at(self, category: str, key: Key, *, queued: bool, joined: int) -> float | None:
        """When a ticket of ``key`` is called (minutes since the epoch): ``queued`` when it was
        waiting as the play began (its own call is the first that reaches its key), else the
        first call past it; ``joined`` tickets due before it came since. None: past the play.
        The category must be one the play's windows serve (``served``)."""
        r = self.reach[category]
        i = (bisect.bisect_left if queued else bisect.bisect_right)(r, key) + joined
        if i >= len(r):
            return None
        return self.times[category][i]
