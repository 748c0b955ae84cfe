"""Citizen- and clerk-facing sentences for every result key, in Chinese and English.

The UI shows ``text(key, lang, **params)``; keys are stable (tests and screens key on them).
Sentences say what happened and where to go next, never a technical cause.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, dict[str, str]] = {
    # citizen: taking a number
    "ticket_taken": {
        "zh": "取号成功：{number}，前面还有{ahead}人，预计等候约{minutes}分钟。",
        "en": "Your number is {number}. {ahead} ahead of you, about {minutes} min.",
    },
    "ticket_taken_priority": {
        "zh": "取号成功：{number}（优先），前面还有{ahead}人，预计等候约{minutes}分钟。",
        "en": "Your number is {number} (priority). {ahead} ahead of you, about {minutes} min.",
    },
    "printer_slow": {
        "zh": "号票{number}正在打印，请稍候取票。",
        "en": "Ticket {number} is printing, please wait for it.",
    },
    "paper_out": {
        "zh": "本机票纸已用完，暂不能取号，请到咨询/帮办台（E区）取号。",
        "en": "This machine is out of paper. Please take a number at the help desk (area E).",
    },
    "cover_open": {
        "zh": "本机打印机盖未合上，暂不能取号，请到咨询/帮办台（E区）取号。",
        "en": "The printer cover is open. Please take a number at the help desk (area E).",
    },
    "printer_unavailable": {
        "zh": "本机打印机暂不可用，未取号，请到咨询/帮办台（E区）或其他取号机取号。",
        "en": "The printer is not available; no number was taken. Please use another machine or the desk.",
    },
    "printer_failed": {
        "zh": "号票打印失败，此号已作废，请到咨询/帮办台（E区）取号。",
        "en": "The ticket could not be printed and was cancelled. Please go to the help desk (area E).",
    },
    "no_printer": {
        "zh": "本机不能打印号票，请到取号机或咨询/帮办台取号。",
        "en": "This terminal cannot print tickets. Please use a ticket machine or the help desk.",
    },
    "daily_limit_reached": {
        "zh": "{category}今日号源已取完，请改日办理或网上预约。",
        "en": "All of today's numbers for {category} are taken. Please come another day or book online.",
    },
    "real_name_limit": {
        "zh": "同一证件每天每类业务最多取{limit}个号，您今日已达上限。",
        "en": "One ID may take at most {limit} numbers per service a day; you have reached it.",
    },
    "hall_closed": {
        "zh": "今日取号已结束（{closed}停止取号），请在办公时间内前来。",
        "en": "Numbers are no longer issued today (until {closed}). Please come during opening hours.",
    },
    "hall_not_open_yet": {
        "zh": "大厅尚未开始办公，{opens}开始取号。",
        "en": "The hall is not open yet; numbers from {opens}.",
    },
    "hall_closed_today": {
        "zh": "大厅今日不办公，请在工作日前来。",
        "en": "The hall is closed today. Please come on a working day.",
    },
    "unknown_category": {
        "zh": "没有这类业务，请重新选择。",
        "en": "There is no such service. Please choose again.",
    },
    "hall_profile_missing": {
        "zh": "本机尚未取得大厅信息，暂不能取号，请到咨询/帮办台取号。",
        "en": "This terminal has no hall information yet. Please take a number at the help desk.",
    },
    "store_unavailable": {
        "zh": "本机暂时无法记录，请到咨询/帮办台办理。",
        "en": "This terminal cannot record right now. Please go to the help desk.",
    },
    # citizen: appointments
    "checked_in": {
        "zh": "预约签到成功：{number}（预约优先），请留意叫号。",
        "en": "Checked in: your number is {number} (appointment priority).",
    },
    "checked_in_late": {
        "zh": "您已超过预约时段{late}分钟，按普通号办理：{number}。",
        "en": "You are {late} min past your slot, so you get an ordinary number: {number}.",
    },
    "online_arrived": {
        "zh": "网上取号签到成功：{number}，前面还有{ahead}人，请留意叫号。",
        "en": "Welcome: your online number {number} is now in the queue, {ahead} ahead of you.",
    },
    "online_ticket_expired": {
        "zh": "您网上所取的号{number}已超过到场时限而失效，请重新取号。",
        "en": "Your online number {number} expired: you came after its deadline. Please take a new one.",
    },
    "checkin_too_early": {
        "zh": "您的预约时段为{slot}，请于{opens}后签到。",
        "en": "Your slot is {slot}; check-in opens at {opens}.",
    },
    "already_checked_in": {
        "zh": "该预约已签到，号码为{number}，请勿重复签到。",
        "en": "This appointment is already checked in with number {number}.",
    },
    "no_appointment": {
        "zh": "未查询到您今日的预约，可直接取号。",
        "en": "No appointment found for you today. You can take a number.",
    },
    "checkin_unavailable": {
        "zh": "暂时无法核对预约，可以改取普通号，或到咨询台人工签到。",
        "en": "Bookings cannot be checked right now. Take a regular number, or check in at the help desk.",
    },
    "qr_not_recognised": {
        "zh": "无法识别此二维码，请出示预约码或使用身份证。",
        "en": "This code is not recognised. Please show your appointment code or use your ID card.",
    },
    # evaluation
    "evaluation_thanks": {"zh": "感谢您的评价！", "en": "Thank you for your rating!"},
    "already_rated": {
        "zh": "本次服务已评价，谢谢。",
        "en": "This service has already been rated. Thank you.",
    },
    "nothing_to_rate": {"zh": "当前没有可评价的服务。", "en": "There is no service to rate now."},
    "bad_level": {"zh": "请选择1到5级评价。", "en": "Please choose a rating from 1 to 5."},
    "bad_channel": {"zh": "评价渠道无效。", "en": "Invalid rating channel."},
    # counter (clerk)
    "called": {"zh": "已呼叫{number}。", "en": "Called {number}."},
    "recalled": {"zh": "已重呼{number}。", "en": "Called {number} again."},
    "queue_empty": {"zh": "当前没有等候的号。", "en": "Nobody is waiting."},
    "skipped": {"zh": "{number}已过号。", "en": "{number} marked as no-show."},
    "transferred": {"zh": "{number}已转到{category}。", "en": "{number} transferred to {category}."},
    "finished": {"zh": "{number}办理完成。", "en": "{number} finished."},
    "paused": {"zh": "窗口已暂停服务。", "en": "Counter paused."},
    "resumed": {"zh": "窗口已恢复服务。", "en": "Counter open again."},
    "evaluation_invited": {"zh": "已请办事人评价。", "en": "Rating requested."},
    "counter_paused": {"zh": "窗口暂停中，请先恢复服务。", "en": "The counter is paused; resume first."},
    "no_open_ticket": {"zh": "当前没有正在办理的号。", "en": "No ticket is open at this counter."},
    "recall_limit": {
        "zh": "{number}已重呼{limit}次，请过号或办结。",
        "en": "{number} was recalled {limit} times; skip or finish it.",
    },
    "finish_first": {"zh": "请先办结当前号再暂停。", "en": "Finish the current ticket before pausing."},
    "same_category": {"zh": "不能转到同一类业务。", "en": "Cannot transfer to the same service."},
    "unknown_counter": {"zh": "没有此窗口。", "en": "No such counter."},
    "unknown_action": {"zh": "无效操作。", "en": "Unknown action."},
    "not_printing": {"zh": "该号不在打印中。", "en": "That ticket is not being printed."},
    # hall bus (docs/hall-bus.md): a member's queue is the host's
    "host_unreachable": {
        "zh": "暂时连不上大厅叫号主机，不能操作；请稍后再试或联系管理员。",
        "en": "The hall's queue host cannot be reached; nothing was done. Try again shortly or call staff.",
    },
    "host_unavailable": {
        "zh": "大厅叫号主机暂时无法记录，未做任何更改。",
        "en": "The hall's queue host cannot record anything right now; nothing was changed.",
    },
    "expired": {
        "zh": "该操作发出太久，未执行；请重新操作。",
        "en": "That request was too old and was not carried out; please do it again.",
    },
    "not_allowed": {"zh": "本设备无权进行此操作。", "en": "This device may not do that."},
    "bad_payload": {"zh": "请求格式错误，未执行。", "en": "Malformed request; nothing was done."},
    "too_large": {"zh": "请求过大，未执行。", "en": "Request too large; nothing was done."},
    "unknown_op": {"zh": "叫号主机不认识此操作。", "en": "The queue host does not know that operation."},
    "bad_args": {"zh": "请求参数错误，未执行。", "en": "Invalid request; nothing was done."},
    "internal": {"zh": "叫号主机出错，未做任何更改。", "en": "The queue host failed; nothing was changed."},
    "lease_unknown": {
        "zh": "离线取号的号段不属于本机，请联系管理员。",
        "en": "Numbers issued offline are not from this machine's block; call staff.",
    },
    "lease_out_of_range": {
        "zh": "离线取号超出本机号段，请联系管理员。",
        "en": "A number issued offline is outside this machine's block; call staff.",
    },
    # self-service: licences, applications, the A4 printer
    "licences_need_platform": {
        "zh": "电子证照需要连接政务服务平台，目前无法连接，请稍后再试或到窗口办理。",
        "en": "E-licences need the government platform, which cannot be reached now. "
        "Please try later or ask at a window.",
    },
    "licences_refused": {
        "zh": "平台暂不能查询您的电子证照，请到窗口咨询。",
        "en": "The platform cannot look up your e-licences now. Please ask at a window.",
    },
    "no_licences": {"zh": "未查询到您的电子证照。", "en": "No e-licences were found for you."},
    "licence_printed": {
        "zh": "已打印，请在下方出纸口取走。",
        "en": "Printed. Please take it from the tray below.",
    },
    "no_form": {
        "zh": "该事项暂不支持自助申报，请取号到窗口办理。",
        "en": "This service cannot be applied for here yet. Please take a number for a window.",
    },
    "application_submitted": {
        "zh": "申报成功，办件编号：{case_number}。",
        "en": "Application submitted. Case number: {case_number}.",
    },
    "application_queued": {
        "zh": "申报已受理（本机受理号{local_ref}），平台恢复连接后自动提交，可凭身份证查询办件编号。",
        "en": "Application accepted here (reference {local_ref}). It is sent when the platform is back; "
        "find the case number with your ID card.",
    },
    "application_invalid": {
        "zh": "还有内容需要填写或更正，请查看标红的项目。",
        "en": "Some entries still need to be filled in or corrected (marked in red).",
    },
    "application_refused": {
        "zh": "平台未接受此申请，请到窗口咨询（本机受理号{local_ref}）。",
        "en": "The platform did not accept this application. Please ask at a window (reference {local_ref}).",
    },
    "no_camera": {
        "zh": "本机没有高拍仪，请到窗口提交材料。",
        "en": "This terminal has no document camera. Please hand in papers at a window.",
    },
    "camera_failed": {
        "zh": "高拍仪暂不可用，请稍后再试或联系工作人员。",
        "en": "The document camera is not available. Please try later or ask a member of staff.",
    },
    "page_not_found": {
        "zh": "没有找到完整的纸张，请把材料平放在拍摄区内再拍一次。",
        "en": "The whole page could not be seen. Please lay it flat inside the frame and try again.",
    },
    "a4_no_printer": {"zh": "本机不能打印A4文件。", "en": "This terminal cannot print A4 documents."},
    "a4_paper_out": {
        "zh": "A4打印机缺纸，暂不能打印，请联系工作人员。",
        "en": "The A4 printer is out of paper. Please ask a member of staff.",
    },
    "a4_cover_open": {
        "zh": "A4打印机盖未合上，暂不能打印，请联系工作人员。",
        "en": "The A4 printer's cover is open. Please ask a member of staff.",
    },
    "a4_unavailable": {
        "zh": "A4打印机暂不可用，请稍后再试或联系工作人员。",
        "en": "The A4 printer is not available. Please try later or ask a member of staff.",
    },
    "a4_failed": {
        "zh": "打印未完成，请联系工作人员。",
        "en": "Printing did not finish. Please ask a member of staff.",
    },
}


class _Safe(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def text(key: str, lang: str = "zh", **params: Any) -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    return entry.get(lang, entry["zh"]).format_map(_Safe(params))


# Queue service levels (issue 13): a full day refused in time, a long wait said before the number.
MESSAGES.update(
    {
        "day_full": {
            "zh": "今日{category}的窗口已无法在下班前再办理新号，请网上预约其他日期，或到咨询台求助。",
            "en": "Today's windows for {category_en} cannot serve anyone more before closing. "
            "Please book online for another day, or ask at the help desk.",
        },
        "wait_quote": {
            "zh": "{category}预计等候约{minutes}分钟（前面{ahead}人）。",
            "en": "About {minutes} minutes' wait for {category_en} ({ahead} ahead).",
        },
        "long_wait_confirm": {
            "zh": "{category}预计需等候约{minutes}分钟（前面{ahead}人）。仍要取号吗？",
            "en": "The wait for {category_en} is about {minutes} minutes ({ahead} ahead). "
            "Take a number anyway?",
        },
    }
)
