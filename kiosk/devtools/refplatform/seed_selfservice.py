"""The demo platform's e-licences (电子证照) of the three demo citizens and the application forms
of four demo items, with the fields the real paper forms of those items have.

Run ``python -m kiosk.devtools.refplatform.seed_selfservice`` to print each form's prefill share (the
fields filled from the ID card, the holder's e-licences and the hall profile ÷ all fields).
"""

from __future__ import annotations

from typing import Any

from kiosk.devtools.refplatform import seed


def _f(
    key: str, label: str, label_en: str, source: str, ref: str | None = None, *, type: str = "text",
    required: bool = True, max_length: int = 60, pattern: str | None = None, choices: tuple[str, ...] = (),
) -> dict[str, Any]:  # fmt: skip
    return {
        "key": key, "label": label, "label_en": label_en, "type": type, "source": source, "ref": ref,
        "required": required, "max_length": max_length, "pattern": pattern, "choices": list(choices),
    }  # fmt: skip


def _m(key: str, name: str, name_en: str, required: bool = True, pages_max: int = 4) -> dict[str, Any]:
    return {"key": key, "name": name, "name_en": name_en, "required": required, "pages_max": pages_max}


PHONE = _f("phone", "联系电话", "Phone", "citizen", type="phone", max_length=13)
APPLICANT = [
    _f("applicant_name", "申请人姓名", "Applicant's name", "card", "name", max_length=30),
    _f("doc_type", "证件种类", "ID document type", "card", "doc_type", max_length=20),
    _f("id_number", "证件号码", "ID number", "card", "id_number", type="id_number", max_length=18),
]


def forms() -> list[dict[str, Any]]:
    transfer = seed.item_code("二手房买卖")
    marriage_record = seed.item_code("婚姻登记记录证明")
    old_age = seed.item_code("高龄津贴")
    licence_lost = seed.item_code("营业执照遗失补领")
    return [
        {
            "item_code": transfer,
            "form_id": "F-BDC-ZY-01",
            "version": 3,
            "title": "不动产登记申请书（转移登记）",
            "title_en": "Real estate registration application (transfer)",
            "fields": [
                *APPLICANT,
                _f("address", "通讯地址", "Postal address", "card", "address", max_length=120),
                PHONE,
                _f(
                    "location",
                    "不动产坐落",
                    "Property location",
                    "licence",
                    "property.location",
                    max_length=120,
                ),
                _f(
                    "unit_number",
                    "不动产单元号",
                    "Property unit number",
                    "licence",
                    "property.unit_number",
                    max_length=28,
                ),
                _f(
                    "certificate_number",
                    "不动产权证书号",
                    "Title certificate number",
                    "licence",
                    "property.number",
                    max_length=64,
                ),
                _f(
                    "area",
                    "面积（平方米）",
                    "Area (m²)",
                    "licence",
                    "property.area",
                    type="number",
                    max_length=12,
                ),
                _f("use", "用途", "Use", "licence", "property.use", max_length=20),
                _f(
                    "right_type", "权利类型", "Type of right", "licence", "property.right_type", max_length=40
                ),
                _f(
                    "reason",
                    "登记原因",
                    "Reason for registration",
                    "citizen",
                    type="choice",
                    choices=("买卖", "赠与", "继承", "互换"),
                ),
                _f(
                    "price",
                    "成交价格（万元）",
                    "Price (10,000 yuan)",
                    "citizen",
                    type="number",
                    max_length=12,
                ),
                _f("office", "受理机构", "Receiving office", "hall", "name", max_length=60),
            ],
            "materials": [
                _m("contract", "存量房买卖合同", "Sale contract", pages_max=8),
                _m("tax_receipt", "完税凭证", "Tax payment receipt", pages_max=2),
            ],
        },
        {
            "item_code": marriage_record,
            "form_id": "F-MZ-HYJL-01",
            "version": 1,
            "title": "婚姻登记记录证明申请表",
            "title_en": "Application for a marriage registration record",
            "fields": [
                _f("applicant_name", "姓名", "Name", "card", "name", max_length=30),
                _f("gender", "性别", "Sex", "card", "gender", max_length=4),
                _f(
                    "birth_date",
                    "出生日期",
                    "Date of birth",
                    "card",
                    "birth_date",
                    type="date",
                    max_length=10,
                ),
                _f("nation", "民族", "Ethnicity", "card", "nation", max_length=20),
                _f(
                    "id_number",
                    "身份证件号码",
                    "ID number",
                    "card",
                    "id_number",
                    type="id_number",
                    max_length=18,
                ),
                _f("household_address", "户籍地址", "Registered address", "card", "address", max_length=120),
                _f(
                    "registry", "婚姻登记机关", "Registry office", "licence", "marriage.issuer", max_length=60
                ),
                _f(
                    "registered_on",
                    "登记日期",
                    "Date registered",
                    "licence",
                    "marriage.issued_on",
                    type="date",
                    max_length=10,
                ),
                _f(
                    "spouse_name",
                    "配偶姓名",
                    "Spouse's name",
                    "licence",
                    "marriage.spouse_name",
                    max_length=30,
                ),
                _f(
                    "purpose",
                    "用途",
                    "Purpose",
                    "citizen",
                    type="choice",
                    choices=("购房", "落户", "贷款", "其他"),
                ),
                PHONE,
            ],
            "materials": [
                _m("household_register", "居民户口簿（本人页）", "Household register (own page)", pages_max=2)
            ],
        },
        {
            "item_code": old_age,
            "form_id": "F-MZ-GLJT-02",
            "version": 2,
            "title": "高龄津贴申请审批表",
            "title_en": "Old-age allowance application",
            "fields": [
                _f("applicant_name", "姓名", "Name", "card", "name", max_length=30),
                _f("gender", "性别", "Sex", "card", "gender", max_length=4),
                _f(
                    "birth_date",
                    "出生日期",
                    "Date of birth",
                    "card",
                    "birth_date",
                    type="date",
                    max_length=10,
                ),
                _f(
                    "id_number",
                    "身份证号码",
                    "ID number",
                    "card",
                    "id_number",
                    type="id_number",
                    max_length=18,
                ),
                _f("household_address", "户籍地址", "Registered address", "card", "address", max_length=120),
                _f(
                    "household_number",
                    "户号",
                    "Household number",
                    "licence",
                    "hukou.household_number",
                    max_length=20,
                ),
                _f("head_name", "户主姓名", "Head of household", "licence", "hukou.head_name", max_length=30),
                _f("bank", "开户银行", "Bank", "citizen", max_length=40),
                _f("account", "银行账号", "Account number", "citizen", pattern=r"\d{12,19}", max_length=19),
                PHONE,
                _f("office", "受理机构", "Receiving office", "hall", "name", max_length=60),
            ],
            "materials": [
                _m("bank_card", "银行卡或存折（账号页）", "Bank card or passbook (account page)", pages_max=2)
            ],
        },
        {
            "item_code": licence_lost,
            "form_id": "F-SCJ-BL-01",
            "version": 1,
            "title": "营业执照补领申请书",
            "title_en": "Application to replace a lost business licence",
            "fields": [
                _f("business_name", "名称", "Business name", "licence", "business.name", max_length=60),
                _f(
                    "uscc",
                    "统一社会信用代码",
                    "Unified social credit code",
                    "licence",
                    "business.number",
                    pattern=r"[0-9A-HJ-NPQRTUWXY]{18}",
                    max_length=18,
                ),
                _f("premises", "经营场所", "Premises", "licence", "business.premises", max_length=120),
                _f(
                    "registry",
                    "登记机关",
                    "Registration authority",
                    "licence",
                    "business.issuer",
                    max_length=60,
                ),
                _f("operator", "经营者姓名", "Operator's name", "card", "name", max_length=30),
                _f(
                    "id_number",
                    "经营者身份证号码",
                    "Operator's ID number",
                    "card",
                    "id_number",
                    type="id_number",
                    max_length=18,
                ),
                _f("address", "经营者住所", "Operator's address", "card", "address", max_length=120),
                _f(
                    "copy_kind",
                    "补领证照",
                    "Licence to replace",
                    "citizen",
                    type="choice",
                    choices=("正本", "副本", "正本及副本"),
                ),
                _f("reason", "遗失原因", "How it was lost", "citizen", max_length=100),
                PHONE,
            ],
            "materials": [_m("notice", "遗失声明（公告）", "Loss notice (published)", pages_max=2)],
        },
    ]


def _licence(
    holder: str, lid: str, type_code: str, type_name: str, number: str, issuer: str, issued_on: str,
    valid_to: str | None, fields: dict[str, str], lines: list[tuple[str, str]], holder_name: str,
) -> tuple[str, dict[str, Any]]:  # fmt: skip
    return holder, {
        "licence_id": lid,
        "type_code": type_code,
        "type_name": type_name,
        "number": number,
        "holder_name": holder_name,
        "issuer": issuer,
        "issued_on": issued_on,
        "valid_from": issued_on,
        "valid_to": valid_to,
        "status": "valid",
        "fields": fields,
        "rendering": {
            "title": type_name,
            "lines": [{"label": k, "value": v} for k, v in lines],
            "seal": f"{issuer}（电子印章）",
            "verify_code": f"DZZZ-{lid}",
        },
    }


def licences() -> list[tuple[str, dict[str, Any]]]:
    """(holder id number, licence). The demo citizens are fictional."""
    li, wang, chen = seed.LI_MINGHUA, seed.WANG_XIUYING, seed.CHEN_ZHIQIANG
    return [
        _licence(
            li,
            "L-0001",
            "marriage",
            "结婚证",
            "J110105-2012-004512",
            "北京市朝阳区民政局",
            "2012-05-20",
            None,
            {"spouse_name": "赵丽", "spouse_id_number": "110105198710102027"},
            [
                ("持证人", "李明华"),
                ("登记日期", "2012-05-20"),
                ("配偶姓名", "赵丽"),
                ("配偶身份证件号", "110105198710102027"),
                ("持证人身份证件号", li),
            ],
            "李明华",
        ),
        _licence(
            li,
            "L-0002",
            "property",
            "不动产权证书",
            "皖（2021）示范县不动产权第0012345号",
            "示范县不动产登记中心",
            "2021-08-16",
            None,
            {
                "location": "示范县人民路18号3幢2单元502室",
                "unit_number": "341122001001GB00012F00030052",
                "area": "96.42",
                "use": "住宅",
                "right_type": "国有建设用地使用权/房屋所有权",
            },
            [
                ("权利人", "李明华"),
                ("坐落", "示范县人民路18号3幢2单元502室"),
                ("不动产单元号", "341122001001GB00012F00030052"),
                ("权利类型", "国有建设用地使用权/房屋所有权"),
                ("用途", "住宅"),
                ("面积", "96.42平方米"),
            ],
            "李明华",
        ),
        _licence(
            wang,
            "L-0003",
            "hukou",
            "居民户口簿",
            "户号 320502004518",
            "苏州市公安局姑苏分局",
            "1998-03-02",
            None,
            {"household_number": "320502004518", "head_name": "王秀英"},
            [("户主姓名", "王秀英"), ("户号", "320502004518"), ("住址", "江苏省苏州市姑苏区人民路1024号")],
            "王秀英",
        ),
        _licence(
            chen,
            "L-0004",
            "business",
            "营业执照（个体工商户）",
            "92341122MA2T8K3X5P",
            "示范县市场监督管理局",
            "2023-04-11",
            None,
            {"name": "示范县志强便利店", "premises": "示范县解放路66号", "operator": "陈志强"},
            [
                ("名称", "示范县志强便利店"),
                ("统一社会信用代码", "92341122MA2T8K3X5P"),
                ("经营者", "陈志强"),
                ("组成形式", "个人经营"),
                ("经营场所", "示范县解放路66号"),
                ("注册日期", "2023-04-11"),
            ],
            "陈志强",
        ),
        _licence(
            chen,
            "L-0005",
            "driving",
            "机动车驾驶证",
            "440304199206111537",
            "深圳市公安局交通警察局",
            "2016-07-01",
            "2026-07-01",
            {"class": "C1"},
            [("姓名", "陈志强"), ("证号", chen), ("准驾车型", "C1"), ("有效期限", "2016-07-01至2026-07-01")],
            "陈志强",
        ),
    ]


if __name__ == "__main__":
    import sys

    from kiosk.selfservice.forms import Form, share_report

    rows, total = share_report([Form.from_json(f) for f in forms()])
    for title, pre, n, share in rows:
        sys.stdout.write(f"{share:6.1%}  {pre:2d}/{n:2d}  {title}\n")
    sys.stdout.write(f"{total:6.1%}  all seeded forms (goal ≥ 70%)\n")
