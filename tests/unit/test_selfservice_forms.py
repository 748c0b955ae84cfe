"""Application forms: the seeded forms' prefill share (申请表预填比例 ≥ 70%), the validation rules
both sides run, and prefill from the card, the holder's e-licences and the hall profile."""

from __future__ import annotations

import pytest

from kiosk.devtools.refplatform import seed, seed_selfservice
from kiosk.selfservice.forms import (
    CardFacts,
    Form,
    check_value,
    id_number_ok,
    prefill,
    share_report,
    validate,
)
from offline_cache import contract
from offline_cache.contract_selfservice import FORM, LICENCE

FORMS = [Form.from_json(f) for f in seed_selfservice.forms()]
LI_CARD = CardFacts(
    name="李明华", id_number=seed.LI_MINGHUA, gender="男", nation="汉", birth_date="1985-03-07",
    address="北京市朝阳区建国路88号",
)  # fmt: skip


def test_prefill_share_of_the_seeded_forms_is_at_least_70_percent(capsys: pytest.CaptureFixture[str]) -> None:
    rows, total = share_report(FORMS)
    with capsys.disabled():
        print()
        for title, pre, n, share in rows:
            print(f"  prefill {share:6.1%}  {pre:2d}/{n:2d}  {title}")
        print(f"  prefill {total:6.1%}  all seeded forms (goal >= 70%)")
    assert total >= 0.70
    assert all(share >= 0.70 for *_, share in rows)
    assert len(rows) >= 4


def test_seeded_forms_and_licences_match_the_contract_and_name_real_items() -> None:
    codes = {it["code"] for it in seed.items()}
    for f in seed_selfservice.forms():
        contract.check(f, FORM)
        assert f["item_code"] in codes
        assert Form.from_json(f).to_json() == f
    for holder, lic in seed_selfservice.licences():
        contract.check(lic, LICENCE)
        assert id_number_ok(holder)


def test_prefill_from_card_licences_and_hall_reaches_the_design_share_for_the_holder() -> None:
    transfer = next(f for f in FORMS if f.form_id == "F-BDC-ZY-01")
    lics = [lic for holder, lic in seed_selfservice.licences() if holder == seed.LI_MINGHUA]
    filled = prefill(transfer, LI_CARD, lics, seed.HALL)
    assert filled.values["id_number"] == seed.LI_MINGHUA
    assert filled.values["location"] == "示范县人民路18号3幢2单元502室"
    assert filled.values["certificate_number"].startswith("皖（2021）")
    assert filled.values["office"] == "示范县政务服务中心"
    assert filled.values["phone"] == "" and filled.values["reason"] == ""
    assert filled.share(transfer) == pytest.approx(transfer.design_share())
    # Without licences (e.g. the platform is away) only card and hall fields are filled.
    bare = prefill(transfer, LI_CARD, [], seed.HALL)
    assert "location" not in bare.filled and "applicant_name" in bare.filled
    assert bare.share(transfer) < filled.share(transfer)


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("phone", "12345", "phone"),
        ("phone", "", "required"),
        ("reason", "抢劫", "choice"),
        ("price", "12万", "number"),
        ("id_number", "110105198503072015", "id_number"),
        ("applicant_name", "李" * 31, "too_long"),
    ],
)
def test_validation_rules(key: str, value: str, code: str) -> None:
    transfer = next(f for f in FORMS if f.form_id == "F-BDC-ZY-01")
    f = transfer.field(key)
    assert f is not None
    assert check_value(f, value) == code


def test_validate_names_unknown_fields_and_missing_materials() -> None:
    transfer = next(f for f in FORMS if f.form_id == "F-BDC-ZY-01")
    lics = [lic for holder, lic in seed_selfservice.licences() if holder == seed.LI_MINGHUA]
    data = prefill(transfer, LI_CARD, lics, seed.HALL).values | {
        "phone": "13800138000",
        "reason": "买卖",
        "price": "185",
    }
    assert validate(transfer, data, {"contract": 2, "tax_receipt": 1}) == []
    problems = {(p.key, p.code) for p in validate(transfer, data | {"evil": "x"}, {"contract": 9})}
    assert problems == {
        ("evil", "unknown_field"),
        ("contract", "too_many_pages"),
        ("tax_receipt", "missing_material"),
    }


@pytest.mark.parametrize(
    ("pattern", "ok"),
    [
        (r"\d{12,19}", True),
        (r"[0-9A-HJ-NPQRTUWXY]{18}", True),
        (r"\d*x\d+", True),
        (r"(a+)+$", False),  # nested quantifier: catastrophic backtracking
        (r"a|b", False),
        (r".*", False),
        (r"\d*\d*\d*", False),  # three variable parts: cubic on a 500-character value
        ("[" + "a" * 50 + "]", False),
    ],
)
def test_a_form_field_pattern_from_the_platform_cannot_backtrack_for_ever(pattern: str, ok: bool) -> None:
    body = seed_selfservice.forms()[0]
    body = {**body, "fields": [{**body["fields"][0], "pattern": pattern}, *body["fields"][1:]]}
    if ok:
        Form.from_json(body)
    else:
        with pytest.raises(contract.ContractError):
            Form.from_json(body)


def test_the_card_fields_for_prefill_stay_on_this_terminal() -> None:
    from dataclasses import dataclass

    from kiosk.identity.person import Identity
    from kiosk.selfservice.service import card_facts

    @dataclass
    class Card:
        name: str = "李明华"
        id_number: str = seed.LI_MINGHUA
        birth_date: str | None = "1985-03-07"
        source: str = "sam"
        gender: str = "男"
        nation: str = "汉"
        address: str = "北京市朝阳区建国路88号"

    identity = Identity.from_card(Card())
    facts = card_facts(identity)
    assert (facts.gender, facts.nation, facts.address, facts.birth_date) == (
        "男",
        "汉",
        "北京市朝阳区建国路88号",
        "1985-03-07",
    )
    wire = identity.for_wire(seed.SALT)
    assert (wire.address, wire.gender, wire.nation, wire.id_number) == ("", "", "", "")
    assert "建国路" not in repr(identity) and "建国路" not in repr(facts)
    # Without the card's sex field, the ID number's 17th digit says it (odd = male).
    assert card_facts(Identity("id_card", "王秀英", seed.WANG_XIUYING)).gender == "女"
