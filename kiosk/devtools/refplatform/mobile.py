# ruff: noqa: E501
"""The reference platform's small mobile page (issue 18), for integrators and the demo.

What a city app does for "take a number from the phone": pick a category of the hall (with its
live waiting count from the last heartbeat), take a number, then watch the request become a
ticket, its position change as the hall calls, and "please go to window N". It uses only the
admin endpoints of this reference platform (``/admin/remote-tickets``) plus ``/m/api/hall``;
a real platform has its own app and speaks the v1 contract to the hall the same way.

Deep links (integrators, and the browser test): ``/m/?request=<id>`` follows a request already
taken; ``/m/?category=A&id_number=...`` takes a number at once.
"""

from __future__ import annotations

import json
from typing import Any

from kiosk.devtools.refplatform.db import PlatformDB


def hall_summary(db: PlatformDB, hall_id: str) -> dict[str, Any] | None:
    """Categories with their waiting counts (last heartbeat of any terminal of the hall) and
    the windows' names: what the page shows before a number is taken."""
    hall = db.hall(hall_id)
    if hall is None:
        return None
    conn = db.conn()
    waiting: dict[str, Any] = {}
    for (payload,) in conn.execute(
        "SELECT h.payload FROM heartbeats h JOIN terminals t ON t.id = h.terminal_id"
        " WHERE t.hall_id = ? ORDER BY h.at",
        (hall_id,),
    ):
        waiting.update(json.loads(payload).get("queue") or {})
    return {
        "hall_id": hall["hall_id"],
        "name": hall["name"],
        "categories": [
            {
                "code": c["code"],
                "name": c["name"],
                "waiting": int((waiting.get(c["code"]) or {}).get("waiting", 0)),
                "est_wait_min": int((waiting.get(c["code"]) or {}).get("est_wait_min", 0)),
            }
            for c in hall["categories"]
        ],
        "counters": {str(k["number"]): k["name"] for k in hall["counters"]},
    }


PAGE = """<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>网上取号 · Take a number</title>
<style>
 body { font-family: sans-serif; margin: 0; background: #f3f6fa; color: #123; }
 header { background: #0b4f8a; color: #fff; padding: 14px 16px; font-size: 20px; }
 main { padding: 16px; max-width: 480px; margin: auto; }
 .card { background: #fff; border-radius: 10px; padding: 14px; margin-bottom: 12px;
         box-shadow: 0 1px 3px rgba(0,0,0,.12); }
 label { display: block; margin: 8px 0 4px; }
 select, input, button { width: 100%; font-size: 18px; padding: 10px; box-sizing: border-box; }
 button { background: #0b4f8a; color: #fff; border: 0; border-radius: 8px; margin-top: 12px; }
 #number { font-size: 56px; font-weight: bold; text-align: center; color: #0b4f8a; }
 #go { font-size: 24px; font-weight: bold; text-align: center; color: #1a7f37; }
 .muted { color: #567; font-size: 14px; }
 .err { color: #b3261e; }
</style>
</head>
<body>
<header id="hallName">网上取号</header>
<main>
 <div class="card" id="take">
  <label for="category">办理业务 / Service</label>
  <select id="category"></select>
  <p class="muted" id="waitingNow"></p>
  <label for="idNumber">身份证号 / ID number</label>
  <input id="idNumber" autocomplete="off" inputmode="latin">
  <button id="takeButton" type="button">取号 / Take a number</button>
  <p class="err" id="error"></p>
 </div>
 <div class="card" id="ticket" hidden>
  <div class="muted" id="state"></div>
  <div id="number">…</div>
  <div id="ahead"></div>
  <div id="go"></div>
  <p class="muted" id="arrive"></p>
  <p class="muted">编号 / Request <span id="requestId"></span></p>
 </div>
</main>
<script>
const $ = (id) => document.getElementById(id);
let hall = null, requestId = null, timer = null;
async function loadHall() {
  hall = await (await fetch("/m/api/hall")).json();
  $("hallName").textContent = hall.name + " · 网上取号";
  const sel = $("category");
  sel.innerHTML = "";
  for (const c of hall.categories) {
    const o = document.createElement("option");
    o.value = c.code;
    o.textContent = c.name;
    sel.appendChild(o);
  }
  showWaiting();
}
function showWaiting() {
  const c = hall.categories.find((x) => x.code === $("category").value);
  $("waitingNow").textContent = c ? `当前等候 ${c.waiting} 人，约 ${c.est_wait_min} 分钟 / ${c.waiting} waiting, about ${c.est_wait_min} min` : "";
}
async function take() {
  $("error").textContent = "";
  const body = { category: $("category").value, id_number: $("idNumber").value.trim(), arrive_within_min: 60 };
  const r = await fetch("/admin/remote-tickets", { method: "POST", headers: { "Content-Type": "application/json" },
                                                   body: JSON.stringify(body) });
  const data = await r.json();
  if (!r.ok) { $("error").textContent = "未能取号 / Not taken: " + (data.error || r.status); return; }
  requestId = data.id;
  follow(data.id);
}
function follow(id) {
  requestId = id;
  $("requestId").textContent = id;
  $("take").hidden = true;
  $("ticket").hidden = false;
  poll();
  timer = setInterval(poll, 2000);
}
const STATES = { requested: "已提交，等待大厅受理 / Sent to the hall", waiting: "排队中 / Waiting",
  called: "正在叫号 / Called", served: "已办结 / Served", refused: "大厅未受理 / Refused",
  expired: "已过期 / Expired" };
async function poll() {
  const r = await fetch("/admin/remote-tickets/" + encodeURIComponent(requestId));
  if (!r.ok) { $("state").textContent = "未找到 / Unknown request"; clearInterval(timer); return; }
  const s = await r.json();
  const by = (s.request && s.request.arrive_by) || "";
  $("arrive").textContent = by ? "请于 " + by.slice(11, 16) + " 前到大厅取号机刷身份证签到 / Check in at the hall by " + by.slice(11, 16) : "";
  $("state").textContent = STATES[s.state] || s.state;
  $("number").textContent = s.number || "…";
  $("ahead").textContent = s.state === "waiting" && s.ahead !== undefined ? `前面还有 ${s.ahead} 人 / ${s.ahead} ahead` : "";
  $("go").textContent = "";
  if (s.state === "called") {
    const name = (hall && hall.counters[String(s.counter)]) || (s.counter + "号窗口");
    $("go").textContent = `请到 ${name} 办理 / Please go to window ${s.counter}`;
  } else if (s.near_turn && s.state === "waiting") {
    $("go").textContent = "快到您了，请到大厅 / Your turn is near";
  } else if (s.state === "refused") {
    $("go").textContent = s.reason || "";
  }
  if (["served", "refused", "expired"].includes(s.state)) clearInterval(timer);
}
$("takeButton").addEventListener("click", take);
$("category").addEventListener("change", showWaiting);
const params = new URLSearchParams(location.search);
loadHall().then(() => {
  if (params.get("request")) follow(params.get("request"));
  else if (params.get("category") && params.get("id_number")) {
    $("category").value = params.get("category");
    $("idNumber").value = params.get("id_number");
    take();
  }
});
</script>
</body>
</html>
"""
