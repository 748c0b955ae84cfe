"""Large, realistic-looking catalogs for benchmarks: combinations of real item stems,
departments and qualifiers (50,000 distinct items in a second or two)."""

from __future__ import annotations

import random
from typing import Any

from kiosk.devtools.refplatform import seed

_QUALIFIERS = [
    "（首次）", "（变更）", "（延续）", "（注销）", "（补办）", "（换证）", "（个人）", "（企业）",
    "（网上办理）", "（跨省通办）", "（告知承诺制）", "（容缺受理）", "（乡镇代办）", "（特殊情形）",
]  # fmt: skip
_PLACES = [
    "示范县", "东城区", "西湖区", "高新区", "经开区", "城关镇", "新安镇", "和平乡", "临江镇", "望湖街道",
    "梅山镇", "双桥乡", "北岗镇", "南陵街道", "青石乡", "白马镇", "云台乡", "清河街道", "石门镇", "龙泉乡",
]  # fmt: skip


def generate(n: int, rng_seed: int = 7) -> list[dict[str, Any]]:
    """``n`` contract-valid items with unique codes and varied Chinese names."""
    rng = random.Random(rng_seed)
    base = seed.items()
    out: list[dict[str, Any]] = []
    i = 0
    while len(out) < n:
        stem = base[i % len(base)]
        place = _PLACES[(i // len(base)) % len(_PLACES)]
        qual = _QUALIFIERS[(i // (len(base) * len(_PLACES))) % len(_QUALIFIERS)]
        extra = i // (len(base) * len(_PLACES) * len(_QUALIFIERS))
        name = f"{place}{stem['name']}{qual}" + (f"（{extra}）" if extra else "")
        item = dict(stem)
        item.update(
            code=f"GEN{i:07d}",
            name=name,
            department=place + stem["department"].removeprefix("县"),
            online_depth=rng.randint(1, 4),
        )
        out.append(item)
        i += 1
    return out
