# ruff: noqa: E501
"""The demo hall: 示范县政务服务中心 (H-DEMO-001), its ~100 service items, bookings and cases.

The hall profile itself is ``config/demo-hall.toml`` (shared with the kiosk's demo mode).

Modelled on a county government service centre's zones: 投资项目审批综合受理, 企业设立综合受理,
民生事务综合受理 (公安/民政/卫计), 不动产登记, 税务, plus 咨询/帮办. Items carry the fields a
guide screen needs: 即办件/承诺件 with legal and promised days, fees, online-handling depth
(1 = information online … 4 = fully online), materials with copies/original/required.
All people are fictional; the three demo citizens are those of the project's COMMON brief.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kiosk import demo_hall

HALL: dict[str, Any] = demo_hall.load()
"""The profile the platform serves; the kiosk's demo fallback reads the same file."""
HALL_ID: str = HALL["hall_id"]
TERMINAL_ID = "T-DEMO-001"
SECRET_NAME = f"{TERMINAL_ID}.secret"
"""The demo terminal's secret file, in the platform's data directory."""
HALL_TERMINALS = ("T-0001", "T-0002", "T-0003", "T-0004")
"""More terminals of the demo hall (a hall of many devices: a host and its members), each with
its own secret (``<id>.secret`` next to the demo terminal's)."""
SALT: str = HALL["id_hash_salt"]
TZ = ZoneInfo(HALL["timezone"])
COUNTY = "341122"
SEED_TIME = "2026-11-01T08:00:00+08:00"

ID_CARD = {
    "name": "申请人居民身份证",
    "copies": 1,
    "original": True,
    "required": True,
    "note": "现场核验原件",
}
ID_COPY = {"name": "申请人居民身份证复印件", "copies": 1, "original": False, "required": True, "note": None}
AGENT = {
    "name": "委托书及受托人身份证",
    "copies": 1,
    "original": True,
    "required": False,
    "note": "委托他人办理时提供",
}
LICENSE = {
    "name": "营业执照",
    "copies": 1,
    "original": True,
    "required": True,
    "note": "已实行电子证照的可免交",
}


def _m(
    name: str, copies: int = 1, original: bool = True, required: bool = True, note: str | None = None
) -> dict[str, Any]:
    return {"name": name, "copies": copies, "original": original, "required": required, "note": note}


# (category, department, location, phone, [(name, kind, legal, promised, depth, fee, extra materials)])
_DEPTS: list[tuple[str, str, str, str, list[tuple[Any, ...]]]] = [
    ("A", "县发展和改革委员会", "一楼A区1-2号窗口", "0550-7012301", [
        ("企业投资项目备案", "immediate", None, None, 4, "不收费", [_m("项目备案信息表"), _m("企业营业执照")]),
        ("企业投资项目核准", "promised", 20, 10, 3, "不收费", [_m("项目申请报告", 2), _m("城乡规划选址意见"), _m("用地预审意见")]),
        ("固定资产投资项目节能审查", "promised", 15, 7, 3, "不收费", [_m("节能报告", 2), _m("项目核准或备案文件", original=False)]),
    ]),
    ("A", "县自然资源和规划局", "一楼A区1-2号窗口", "0550-7012302", [
        ("建设项目用地预审与选址意见书核发", "promised", 20, 10, 3, "不收费", [_m("用地预审申请表"), _m("项目建设依据", original=False), _m("标注项目用地范围的土地利用总体规划图")]),
        ("建设用地规划许可证核发", "promised", 20, 7, 3, "不收费", [_m("建设用地规划许可申请表"), _m("国有土地使用权出让合同", original=False), _m("宗地红线图")]),
        ("建设工程规划许可证核发", "promised", 20, 10, 3, "不收费", [_m("建设工程规划许可申请表"), _m("建设工程设计方案总平面图", 2), _m("土地权属证明", original=False)]),
    ]),
    ("A", "县住房和城乡建设局", "一楼A区1-2号窗口", "0550-7012303", [
        ("建筑工程施工许可证核发", "promised", 7, 3, 4, "不收费", [_m("施工许可申请表"), _m("施工合同", original=False), _m("监理合同", original=False), _m("建设资金落实承诺书")]),
        ("建设工程消防设计审查", "promised", 15, 10, 3, "不收费", [_m("消防设计审查申请表"), _m("消防设计文件", 2)]),
        ("建设工程消防验收", "promised", 15, 10, 3, "不收费", [_m("消防验收申请表"), _m("工程竣工验收报告", original=False), _m("消防设施检测报告")]),
        ("房屋建筑和市政基础设施工程竣工验收备案", "promised", 15, 5, 3, "不收费", [_m("竣工验收备案表", 2), _m("工程竣工验收报告")]),
        ("城市建筑垃圾处置核准", "promised", 20, 5, 3, "不收费", [_m("建筑垃圾处置核准申请表"), _m("运输车辆行驶证", original=False), _m("消纳场所证明")]),
        ("人防工程易地建设审批", "promised", 20, 10, 2, "按规定缴纳易地建设费", [_m("人防易地建设申请表"), _m("建设工程规划许可证", original=False)]),
    ]),
    ("A", "县生态环境分局", "一楼A区1-2号窗口", "0550-7012304", [
        ("建设项目环境影响报告表审批", "promised", 30, 15, 3, "不收费", [_m("环境影响报告表", 2), _m("项目审批申请函")]),
        ("建设项目环境影响登记表备案", "immediate", None, None, 4, "不收费", [_m("环境影响登记表")]),
    ]),
    ("A", "县水利局", "一楼A区1-2号窗口", "0550-7012305", [
        ("生产建设项目水土保持方案审批", "promised", 20, 10, 3, "按规定缴纳水土保持补偿费", [_m("水土保持方案报告书", 2), _m("申请函")]),
        ("取水许可审批", "promised", 45, 20, 2, "不收费", [_m("取水许可申请书"), _m("建设项目水资源论证报告书", 2)]),
    ]),
    ("A", "县市场监督管理局", "一楼A区1-2、8号窗口（企业开办专区）", "0550-7012306", [
        ("企业设立登记（有限责任公司）", "promised", 15, 1, 4, "不收费", [_m("公司登记（备案）申请书"), _m("公司章程"), _m("股东主体资格证明", original=False), _m("住所使用证明", original=False)]),
        ("个人独资企业设立登记", "promised", 15, 1, 4, "不收费", [_m("个人独资企业登记（备案）申请书"), _m("投资人身份证明", original=False), _m("住所使用证明", original=False)]),
        ("合伙企业设立登记", "promised", 15, 1, 4, "不收费", [_m("合伙企业登记（备案）申请书"), _m("合伙协议"), _m("全体合伙人身份证明", original=False)]),
        ("个体工商户设立登记", "immediate", None, None, 4, "不收费", [_m("个体工商户登记（备案）申请书"), _m("经营者身份证明", original=False), _m("经营场所使用证明", original=False)]),
        ("农民专业合作社设立登记", "promised", 15, 3, 3, "不收费", [_m("农民专业合作社登记申请书"), _m("全体设立人签名的设立大会纪要"), _m("章程"), _m("成员名册", original=False)]),
        ("企业变更登记", "promised", 15, 1, 4, "不收费", [_m("变更登记申请书"), _m("股东会决议或决定"), LICENSE]),
        ("企业简易注销登记", "promised", 15, 3, 4, "不收费", [_m("简易注销登记申请书"), _m("全体投资人承诺书"), LICENSE]),
        ("营业执照遗失补领", "promised", 15, 1, 3, "不收费", [_m("营业执照补领申请书"), _m("遗失声明公告", original=False)]),
        ("食品经营许可证核发", "promised", 20, 7, 3, "不收费", [_m("食品经营许可申请书"), _m("与食品经营相适应的场所平面图", original=False), _m("食品安全管理制度")]),
        ("药品零售企业经营许可", "promised", 30, 15, 2, "不收费", [_m("药品经营许可证申请表"), _m("执业药师资格证书", original=False), _m("营业场所平面图", original=False)]),
    ]),
    ("A", "县公安局", "一楼A区8号窗口（企业开办专区）", "0550-7012307", [
        ("印章刻制备案", "immediate", None, None, 4, "印章费用按市场价，政府购买首套印章", [LICENSE, _m("法定代表人身份证", original=True)]),
    ]),
    ("A", "县人力资源和社会保障局", "一楼A区8号窗口（企业开办专区）", "0550-7012308", [
        ("单位社会保险登记", "immediate", None, None, 4, "不收费", [LICENSE, _m("单位社会保险登记表")]),
        ("住房公积金单位缴存登记", "immediate", None, None, 4, "不收费", [LICENSE, _m("单位缴存登记表"), _m("经办人授权委托书")]),
        ("就业登记（用人单位招用人员备案）", "immediate", None, None, 4, "不收费", [_m("就业登记名册", original=False)]),
    ]),
    ("B", "县不动产登记中心", "一楼B区3-4号窗口", "0550-7012310", [
        ("国有建设用地使用权及房屋所有权首次登记", "promised", 30, 5, 3, "住宅80元/件，非住宅550元/件；证书工本费10元/本", [_m("不动产登记申请书"), _m("土地出让价款缴纳凭证", original=False), _m("房屋竣工验收资料", original=False), _m("房屋测绘报告")]),
        ("房屋所有权转移登记（二手房买卖）", "promised", 30, 3, 3, "住宅80元/件；证书工本费10元/本", [_m("不动产登记申请书"), _m("不动产权证书"), _m("存量房买卖合同"), _m("完税凭证", original=False), _m("买卖双方身份证明")]),
        ("商品房转移登记（一手房）", "promised", 30, 3, 4, "住宅80元/件；证书工本费10元/本", [_m("不动产登记申请书"), _m("商品房买卖合同"), _m("契税完税凭证", original=False), _m("购房发票", original=False)]),
        ("不动产抵押权首次登记", "promised", 30, 1, 4, "住宅80元/件，非住宅550元/件", [_m("不动产登记申请书"), _m("不动产权证书"), _m("主债权合同"), _m("抵押合同")]),
        ("不动产抵押权注销登记", "immediate", None, None, 4, "不收费", [_m("不动产登记申请书"), _m("不动产登记证明"), _m("抵押权人同意注销的证明")]),
        ("不动产变更登记（姓名、名称或地址变更）", "promised", 30, 1, 3, "不收费；换发证书工本费10元/本", [_m("不动产登记申请书"), _m("不动产权证书"), _m("变更证明材料")]),
        ("不动产更正登记", "promised", 30, 5, 2, "不收费", [_m("不动产登记申请书"), _m("证实登记确有错误的材料")]),
        ("预告登记（预购商品房）", "promised", 30, 1, 4, "住宅80元/件", [_m("不动产登记申请书"), _m("已备案的商品房预售合同")]),
        ("不动产权证书补证", "promised", 30, 10, 2, "证书工本费10元/本", [_m("不动产登记申请书"), _m("遗失声明（公告15个工作日）", original=False)]),
        ("不动产权证书换证", "promised", 30, 5, 2, "证书工本费10元/本", [_m("不动产登记申请书"), _m("原不动产权证书")]),
        ("不动产登记资料查询", "immediate", None, None, 4, "不收费", [_m("不动产登记资料查询申请书")]),
        ("继承、受遗赠转移登记", "promised", 30, 10, 2, "住宅80元/件；证书工本费10元/本", [_m("不动产登记申请书"), _m("继承权公证书或生效法律文书"), _m("被继承人死亡证明", original=False), _m("亲属关系证明")]),
        ("夫妻间不动产份额变更登记", "promised", 30, 3, 2, "不收费；证书工本费10元/本", [_m("不动产登记申请书"), _m("结婚证"), _m("夫妻财产约定协议")]),
        ("宅基地使用权及房屋所有权首次登记", "promised", 30, 10, 2, "住宅80元/件", [_m("不动产登记申请书"), _m("宅基地批准文件", original=False), _m("房屋权籍调查成果")]),
        ("异议登记", "immediate", None, None, 2, "不收费", [_m("不动产登记申请书"), _m("利害关系证明材料")]),
        ("不动产查封登记", "immediate", None, None, 1, "不收费", [_m("人民法院协助执行通知书"), _m("执行公务证件", original=False)]),
    ]),
    ("C", "县公安局", "一楼C区5-6号窗口（户政）", "0550-7012320", [
        ("居民身份证申领", "promised", 60, 20, 2, "工本费20元", [_m("居民户口簿"), _m("数码相片回执", required=False, note="可现场采集")]),
        ("居民身份证换领", "promised", 60, 15, 3, "工本费20元", [_m("原居民身份证"), _m("居民户口簿", required=False)]),
        ("居民身份证补领", "promised", 60, 15, 3, "工本费40元", [_m("居民户口簿")]),
        ("临时居民身份证办理", "immediate", None, None, 1, "工本费10元", [_m("居民户口簿")]),
        ("户口迁入（投靠亲属）", "promised", 20, 5, 3, "不收费", [_m("居民户口簿"), _m("亲属关系证明"), _m("住房证明", original=False)]),
        ("户口迁出", "immediate", None, None, 3, "不收费", [_m("居民户口簿"), _m("准予迁入证明", required=False)]),
        ("出生登记（新生儿落户）", "immediate", None, None, 4, "不收费", [_m("出生医学证明"), _m("父母居民户口簿"), _m("父母结婚证", required=False)]),
        ("居住证申领", "promised", 15, 7, 4, "首次申领免费", [_m("居住登记凭证或合法稳定住所证明"), _m("近期免冠照片", 2, required=False)]),
        ("无犯罪记录证明开具", "immediate", None, None, 4, "不收费", [_m("用途说明", required=False)]),
        ("普通护照申请", "promised", 7, 7, 3, "120元/本", [_m("出入境证件申请表", required=False, note="可现场填写")]),
        ("往来港澳通行证签注", "immediate", None, None, 4, "15元/次", [_m("往来港澳通行证")]),
        ("机动车驾驶证期满换证", "immediate", None, None, 4, "工本费10元", [_m("机动车驾驶证"), _m("身体条件证明")]),
    ]),
    ("C", "县民政局", "一楼C区5-6号窗口（民政）", "0550-7012321", [
        ("结婚登记", "immediate", None, None, 2, "不收费（证书工本费已取消）", [_m("双方居民户口簿", 2), _m("双方近期半身免冠合影照片", 3), _m("本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明")]),
        ("离婚登记", "promised", 30, 30, 1, "不收费", [_m("双方结婚证"), _m("双方居民户口簿", 2), _m("离婚协议书", 3)]),
        ("婚姻登记记录证明", "immediate", None, None, 3, "不收费", [_m("居民户口簿")]),
        ("最低生活保障申请", "promised", 30, 20, 3, "不收费", [_m("低保申请书"), _m("家庭成员收入及财产状况声明"), _m("居民户口簿")]),
        ("特困人员救助供养申请", "promised", 40, 20, 2, "不收费", [_m("特困人员救助供养申请书"), _m("居民户口簿")]),
        ("临时救助申请", "promised", 15, 7, 3, "不收费", [_m("临时救助申请书"), _m("遭遇困难的证明材料", required=False)]),
        ("高龄津贴申领", "promised", 20, 10, 3, "不收费", [_m("居民户口簿"), _m("银行账户信息", original=False)]),
        ("困难残疾人生活补贴和重度残疾人护理补贴申请", "promised", 30, 15, 3, "不收费", [_m("残疾人证"), _m("补贴申请审批表")]),
        ("惠民殡葬补助申请", "promised", 15, 5, 2, "不收费", [_m("死亡医学证明或火化证明", original=False), _m("经办人身份证")]),
    ]),
    ("C", "县卫生健康委员会", "一楼C区5-6号窗口（卫健）", "0550-7012322", [
        ("出生医学证明首次签发", "immediate", None, None, 2, "不收费", [_m("父母身份证"), _m("医疗机构分娩记录", original=False)]),
        ("生育登记服务", "immediate", None, None, 4, "不收费", [_m("夫妻双方身份证"), _m("结婚证", required=False)]),
        ("农村部分计划生育家庭奖励扶助申请", "promised", 30, 20, 2, "不收费", [_m("奖励扶助对象申报表"), _m("居民户口簿")]),
        ("计划生育家庭特别扶助申请", "promised", 30, 20, 2, "不收费", [_m("特别扶助对象申报表"), _m("子女死亡或伤残证明", original=False)]),
        ("医师执业注册", "promised", 20, 10, 4, "不收费", [_m("医师执业注册申请审核表"), _m("医师资格证书"), _m("健康证明")]),
        ("护士执业注册", "promised", 20, 10, 4, "不收费", [_m("护士执业注册申请审核表"), _m("护士执业资格考试成绩合格证明"), _m("健康体检证明")]),
        ("公共场所卫生许可证核发", "promised", 20, 5, 3, "不收费", [_m("卫生许可证申请表"), LICENSE, _m("卫生检测报告")]),
        ("城乡居民基本医疗保险参保登记", "immediate", None, None, 4, "按年度缴费标准", [_m("居民户口簿", required=False)]),
        ("基本医疗保险异地就医备案", "immediate", None, None, 4, "不收费", [_m("异地就医备案表", required=False, note="可线上填报")]),
        ("门诊慢特病待遇认定", "promised", 30, 15, 3, "不收费", [_m("门诊慢特病申请表"), _m("病历及相关检查报告", original=False)]),
    ]),
    ("D", "国家税务总局示范县税务局", "一楼D区7号窗口", "0550-7012330", [
        ("新办纳税人套餐（信息确认、发票领用）", "immediate", None, None, 4, "不收费", [LICENSE, _m("经办人身份证件")]),
        ("增值税发票领用", "immediate", None, None, 4, "不收费", [_m("经办人身份证件"), _m("税务UKey", required=False)]),
        ("增值税专用发票最高开票限额审批", "promised", 20, 10, 4, "不收费", [_m("税务行政许可申请表"), _m("增值税专用发票最高开票限额申请单")]),
        ("代开增值税普通发票", "immediate", None, None, 4, "按规定缴纳税款", [_m("代开增值税发票缴纳税款申报单"), _m("合同或协议", original=False)]),
        ("个人所得税综合所得汇算清缴", "immediate", None, None, 4, "不收费", [_m("收入及扣除项目相关资料", original=False, required=False)]),
        ("契税申报（房屋交易）", "immediate", None, None, 3, "按规定缴纳契税", [_m("房屋买卖合同", original=False), _m("购房发票", original=False)]),
        ("二手房交易税费申报", "immediate", None, None, 3, "按规定缴纳税费", [_m("存量房买卖合同"), _m("不动产权证书", original=False)]),
        ("车辆购置税申报", "immediate", None, None, 4, "按规定缴纳车辆购置税", [_m("机动车销售统一发票"), _m("车辆合格证")]),
        ("小规模纳税人增值税申报", "immediate", None, None, 4, "不收费", [_m("增值税及附加税费申报表", original=False)]),
        ("灵活就业人员社会保险费缴纳", "immediate", None, None, 4, "按缴费基数缴纳", []),
        ("完税证明开具", "immediate", None, None, 4, "不收费", []),
        ("清税证明（税务注销即办）", "immediate", None, None, 4, "不收费", [_m("清税申报表"), LICENSE]),
        ("跨区域涉税事项报告", "immediate", None, None, 4, "不收费", [_m("跨区域涉税事项报告表"), _m("外出经营合同", original=False)]),
        ("纳税信用复评", "promised", 15, 10, 4, "不收费", [_m("纳税信用复评申请表")]),
        ("出口退（免）税备案", "immediate", None, None, 4, "不收费", [_m("出口退（免）税备案表")]),
    ]),
    ("E", "县政务服务管理局", "一楼大厅咨询台/8号窗口", "0550-7012300", [
        ("综合咨询", "immediate", None, None, 1, "不收费", []),
        ("帮办代办服务", "immediate", None, None, 1, "不收费", [_m("办理事项所需材料", required=False)]),
        ("老年人、残疾人绿色通道帮办", "immediate", None, None, 1, "不收费", []),
        ("企业开办全程帮办", "immediate", None, None, 2, "不收费", []),
        ("政务服务“好差评”差评核实与整改反馈", "promised", 15, 5, 3, "不收费", [_m("差评事项说明", required=False)]),
        ("投诉建议受理", "promised", 15, 5, 3, "不收费", []),
    ]),
]  # fmt: skip


NAME_EN: dict[str, str] = {
    "企业投资项目备案": "Enterprise investment project filing",
    "企业投资项目核准": "Enterprise investment project approval",
    "建筑工程施工许可证核发": "Construction permit",
    "建设工程消防验收": "Fire safety acceptance of construction works",
    "企业设立登记（有限责任公司）": "Company registration (limited liability company)",
    "个人独资企业设立登记": "Sole proprietorship registration",
    "合伙企业设立登记": "Partnership registration",
    "个体工商户设立登记": "Individual business registration",
    "企业变更登记": "Change of company registration",
    "企业简易注销登记": "Simplified company deregistration",
    "营业执照遗失补领": "Replacement of a lost business licence",
    "食品经营许可证核发": "Food business licence",
    "印章刻制备案": "Company seal filing",
    "单位社会保险登记": "Employer social insurance registration",
    "国有建设用地使用权及房屋所有权首次登记": "First registration of state-owned construction land use rights and building ownership",
    "房屋所有权转移登记（二手房买卖）": "Transfer of home ownership (resale)",
    "商品房转移登记（一手房）": "Transfer of ownership of a new home",
    "不动产抵押权首次登记": "Mortgage registration",
    "不动产抵押权注销登记": "Mortgage discharge registration",
    "不动产权证书补证": "Replacement of a lost property certificate",
    "不动产登记资料查询": "Property register search",
    "居民身份证申领": "Resident ID card application",
    "居民身份证换领": "Resident ID card renewal",
    "居民身份证补领": "Replacement of a lost resident ID card",
    "临时居民身份证办理": "Temporary resident ID card",
    "户口迁入（投靠亲属）": "Household registration move-in (joining relatives)",
    "户口迁出": "Household registration move-out",
    "出生登记（新生儿落户）": "Birth registration (newborn)",
    "居住证申领": "Residence permit application",
    "无犯罪记录证明开具": "Certificate of no criminal record",
    "普通护照申请": "Passport application",
    "往来港澳通行证签注": "Hong Kong and Macao travel permit endorsement",
    "机动车驾驶证期满换证": "Driving licence renewal",
    "结婚登记": "Marriage registration",
    "离婚登记": "Divorce registration",
    "婚姻登记记录证明": "Certificate of marriage records",
    "最低生活保障申请": "Minimum living allowance application",
    "高龄津贴申领": "Old-age allowance application",
    "城乡居民基本医疗保险参保登记": "Resident basic medical insurance enrolment",
    "基本医疗保险异地就医备案": "Medical insurance filing for treatment elsewhere",
    "新办纳税人套餐（信息确认、发票领用）": "New taxpayer package (information check, invoices)",
    "增值税发票领用": "VAT invoice issue",
    "代开增值税普通发票": "VAT invoice issued on your behalf",
    "个人所得税综合所得汇算清缴": "Individual income tax annual reconciliation",
    "契税申报（房屋交易）": "Deed tax return (property purchase)",
    "二手房交易税费申报": "Tax return for a resale home",
    "车辆购置税申报": "Vehicle purchase tax return",
    "完税证明开具": "Tax payment certificate",
    "综合咨询": "General enquiries",
    "帮办代办服务": "Assisted service",
    "老年人、残疾人绿色通道帮办": "Priority assistance for older and disabled people",
}
"""English names the demo platform sends (``name_en``); the other demo items have none, so
the screens show how an item without an English name reads in English mode."""


def _steps(kind: str, depth: int) -> list[str]:
    steps = ["取号/预约", "窗口受理并核验材料"]
    steps.append("当场办结" if kind == "immediate" else "审核、审批")
    if kind == "promised":
        steps.append("办结后窗口领取或邮寄送达")
    if depth >= 4:
        steps.insert(0, "可在“皖事通”等网上平台全程网办")
    return steps


def items() -> list[dict[str, Any]]:
    """The demo hall's service items, with stable implementation codes."""
    out: list[dict[str, Any]] = []
    for d_index, (category, dept, location, phone, rows) in enumerate(_DEPTS, start=1):
        for i, (name, kind, legal, promised, depth, fee, extra) in enumerate(rows, start=1):
            kind_code = "JB" if kind == "immediate" else "CN"
            code = f"{COUNTY}{d_index:02d}{kind_code}{i:03d}"
            agent_ok = category != "C" or "身份证" not in name
            materials = [ID_CARD, *extra, *([AGENT] if agent_ok else [])]
            out.append(
                {
                    "code": code,
                    "name": name,
                    **({"name_en": NAME_EN[name]} if name in NAME_EN else {}),
                    "department": dept,
                    "category": category,
                    "kind": kind,
                    "legal_days": legal,
                    "promised_days": promised,
                    "online_depth": depth,
                    "fee": fee,
                    "location": location,
                    "phone": phone,
                    "conditions": f"符合{name}相关法律法规规定条件的自然人、法人或其他组织均可申请。",
                    "materials": materials,
                    "steps": _steps(kind, depth),
                    "faq": [
                        {
                            "q": "可以委托他人办理吗？",
                            "a": "可以，受托人需携带委托书及本人身份证。" if agent_ok else "须本人到场办理。",
                        },
                        {
                            "q": "办理时限是多少？",
                            "a": "即办件，材料齐全当场办结。"
                            if kind == "immediate"
                            else f"法定时限{legal}个工作日，承诺时限{promised}个工作日。",
                        },
                    ],
                    "updated_at": SEED_TIME,
                }
            )
    return out


def item_code(name_part: str) -> str:
    for it in items():
        if name_part in it["name"]:
            return str(it["code"])
    raise KeyError(name_part)


# -- people ----------------------------------------------------------------------------------


def holder_hash(id_number: str) -> str:
    return hashlib.sha256(f"{SALT}:{id_number.upper()}".encode()).hexdigest()


LI_MINGHUA = "110105198503072014"
WANG_XIUYING = "32050219480916402X"
CHEN_ZHIQIANG = "440304199206111537"

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国志强海燕"


def _fake_id(rng: random.Random) -> str:
    area = rng.choice(["341122", "341103", "340104", "320502", "110105"])
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
    body = f"{area}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def _mask(name: str) -> str:
    return name[0] + "*" if len(name) == 2 else name[0] + "*" * (len(name) - 2) + name[-1]


def appointments_for(day: date, now: datetime | None = None) -> list[dict[str, Any]]:
    """The day's bookings, computed when asked: 李明华 (today, category B) in the next
    half-hour slot, so a check-in during the demo is on time (check-in opens 30 minutes before
    the slot and is late 15 minutes after it: at least 15 minutes from when it was asked, never
    "late" half of every hour as the current slot was); others spread over the day."""
    now = (now or datetime.now(TZ)).astimezone(TZ)
    rng = random.Random(f"appointments-{day.isoformat()}")
    codes = {c: [it["code"] for it in items() if it["category"] == c] for c in "ABCD"}
    out: list[dict[str, Any]] = []
    if day == now.date():
        start = now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)
        if start < now:
            start += timedelta(minutes=30)
        out.append(
            {
                "id": f"AP{day:%Y%m%d}0001",
                "item_code": item_code("二手房买卖"),
                "category": "B",
                "slot_start": start.isoformat(),
                "slot_end": (start + timedelta(minutes=30)).isoformat(),
                "holder_id_hash": holder_hash(LI_MINGHUA),
                "holder_name_masked": _mask("李明华"),
                "status": "booked",
            }
        )
    slots = [time(h, m) for h in (8, 9, 10, 11, 13, 14, 15, 16) for m in (0, 30) if (h, m) not in ((8, 0),)]
    for n in range(2, 26):
        cat = rng.choice("AABBCCCD")
        name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))
        slot = rng.choice(slots)
        start = datetime.combine(day, slot, TZ)
        out.append(
            {
                "id": f"AP{day:%Y%m%d}{n:04d}",
                "item_code": rng.choice(codes[cat]),
                "category": cat,
                "slot_start": start.isoformat(),
                "slot_end": (start + timedelta(minutes=30)).isoformat(),
                "holder_id_hash": holder_hash(_fake_id(rng)),
                "holder_name_masked": _mask(name),
                "status": "cancelled" if n % 11 == 0 else "booked",
            }
        )
    return out


def cases(today: date) -> list[tuple[str, dict[str, Any]]]:
    """(id_number, case) for the three demo citizens, dated relative to ``today``."""

    def at(days_ago: int, hh: int = 10) -> str:
        return datetime.combine(today - timedelta(days=days_ago), time(hh, 15), TZ).isoformat()

    transfer = item_code("二手房买卖")
    id_renew = item_code("居民身份证换领")
    self_employed = item_code("个体工商户设立登记")
    return [
        (
            LI_MINGHUA,
            {
                "case_number": f"BDC{today - timedelta(days=3):%Y%m%d}0031",
                "item_code": transfer,
                "item_name": "房屋所有权转移登记（二手房买卖）",
                "item_name_en": NAME_EN["房屋所有权转移登记（二手房买卖）"],
                "status": "in_progress",
                "updated_at": at(1, 16),
                "timeline": [
                    {"at": at(3, 9), "step": "受理", "status": "accepted", "note": "材料齐全，予以受理"},
                    {"at": at(1, 16), "step": "审核", "status": "in_progress", "note": "登记审核中"},
                ],
                "pickup": None,
            },
        ),
        (
            WANG_XIUYING,
            {
                "case_number": f"HZ{today - timedelta(days=16):%Y%m%d}0107",
                "item_code": id_renew,
                "item_name": "居民身份证换领",
                "item_name_en": NAME_EN["居民身份证换领"],
                "status": "ready_for_pickup",
                "updated_at": at(1, 11),
                "timeline": [
                    {"at": at(16, 9), "step": "受理", "status": "accepted", "note": "现场采集指纹和相片"},
                    {"at": at(6, 14), "step": "制证", "status": "in_progress", "note": None},
                    {"at": at(1, 11), "step": "待领取", "status": "ready_for_pickup", "note": "请持回执领取"},
                ],
                "pickup": {"method": "window", "where": "一楼C区5号窗口（户政）", "tracking_number": None},
            },
        ),
        (
            CHEN_ZHIQIANG,
            {
                "case_number": f"SCJ{today - timedelta(days=2):%Y%m%d}0044",
                "item_code": self_employed,
                "item_name": "个体工商户设立登记",
                "item_name_en": NAME_EN["个体工商户设立登记"],
                "status": "awaiting_supplement",
                "updated_at": at(1, 15),
                "timeline": [
                    {"at": at(2, 10), "step": "受理", "status": "accepted", "note": None},
                    {
                        "at": at(1, 15),
                        "step": "补正",
                        "status": "awaiting_supplement",
                        "note": "请补充经营场所使用证明（租赁合同）",
                    },
                ],
                "pickup": None,
            },
        ),
    ]
