"""Each document's PDF, rendered to images and read back: its key text, in the embedded font."""

from decimal import Decimal

import pytest

from casework.models import Petition
from documents.models import Document
from lib.validators import mask_id_number

from ..factories import agreement_reached, called_back, step, worker_row
from ..fund.helpers import disbursed
from .conftest import content, embedded_fonts, issue, pdf_text


def _of(documents, kind):
    return [d for d in documents if d.kind == kind]


@pytest.fixture
def accepted(petition, clerk):
    step(petition, "accept", clerk)
    return petition


def test_each_worker_gets_an_acceptance_notice_with_their_own_query_code(accepted):
    notices = _of(issue(accepted), Document.Kind.ACCEPTANCE)
    claims = list(accepted.claims.order_by("pk"))
    assert [n.claim for n in notices] == claims
    first = pdf_text(content(notices[0]))
    assert claims[0].query_code in first
    assert claims[1].query_code not in first and claims[2].query_code not in first


def test_the_acceptance_notice_names_federation_case_and_look_up(accepted, settings):
    text = pdf_text(content(_of(issue(accepted), Document.Kind.ACCEPTANCE)[0]))
    assert "受理通知书" in text
    assert "Federation" in text
    assert accepted.number in text
    assert settings.CASEWORK["PORTAL_URL"] in text


def test_the_acceptance_notice_masks_the_id_number(accepted):
    notice = _of(issue(accepted), Document.Kind.ACCEPTANCE)[0]
    text = pdf_text(content(notice))
    assert mask_id_number(notice.claim.worker.id_number) in text
    assert notice.claim.worker.id_number not in text


def test_the_font_is_embedded(accepted):
    fonts = embedded_fonts(content(issue(accepted)[0]))
    assert fonts and all("/FontFile2" in f["/FontDescriptor"] for f in fonts)


def test_the_refusal_notice_gives_the_reason(petition, supervisor):
    step(petition, "reject", supervisor, reason="Not a labor dispute: a loan between friends.")
    refusal = _of(issue(petition), Document.Kind.REFUSAL)[0]
    text = pdf_text(content(refusal))
    assert "不予受理通知书" in text
    assert "Not a labor dispute: a loan between friends." in text
    assert refusal.claim.query_code in text


@pytest.fixture
def agreed(clerk, mediator, enterprise):
    rows = [
        worker_row(claimed_amount=Decimal("8000.00")),
        worker_row(claimed_amount=Decimal("6000.00")),
    ]
    return agreement_reached(clerk, mediator, enterprise, rows)


def test_quotes_and_ampersands_print_as_typed(petition, supervisor):
    step(petition, "reject", supervisor, reason="The boss's loan & the rent: not wages.")
    text = pdf_text(content(_of(issue(petition), Document.Kind.REFUSAL)[0]))
    assert "The boss's loan & the rent: not wages." in text
    assert "&#x27;" not in text and "&amp;" not in text


def test_the_agreement_lists_parties_amounts_and_the_payment_order_note(agreed, enterprise):
    agreement = _of(issue(agreed), Document.Kind.AGREEMENT)
    assert len(agreement) == 1 and agreement[0].claim is None
    text = pdf_text(content(agreement[0]))
    assert "调解协议书" in text and agreed.number in text
    assert enterprise.name in text
    assert "¥7,500.00" in text and "¥6,000.00" in text and "¥13,500.00" in text
    assert "2026年1月20日" in text
    assert "第十六条" in text and "支付令" in text
    for claim in agreed.claims.all():
        assert mask_id_number(claim.worker.id_number) in text
        assert claim.worker.id_number not in text
    assert "调解员" in text and "甲方代表" in text


def test_failed_mediation_issues_the_termination_with_arbitration_and_limitation(
    petition, clerk, mediator
):
    step(petition, "accept", clerk)
    step(petition, "start_mediation", mediator)
    step(petition, "fail_mediation", mediator, reason="The employer refused every offer.")
    text = pdf_text(content(_of(issue(petition), Document.Kind.TERMINATION)[0]))
    assert "调解终止书" in text
    assert "The employer refused every offer." in text
    assert "仲裁" in text and "第二十七条" in text and "一年" in text


def test_closure_notice_gives_the_outcome(agreed, mediator):
    step(agreed, "confirm_fulfilment", mediator)
    called_back(agreed)
    step(agreed, "close", mediator, data={"outcome_notice": "All wages paid on 18 January."})
    text = pdf_text(content(_of(issue(agreed), Document.Kind.CLOSURE)[0]))
    assert "结案通知书" in text and "All wages paid on 18 January." in text


def test_the_fund_approval_form_shows_every_signature_and_date(
    wage_petition, clerk, mediator, supervisor, finance
):
    step(wage_petition, "accept", clerk)
    disbursed(wage_petition, mediator, supervisor, finance)
    form = _of(issue(wage_petition), Document.Kind.FUND_APPROVAL)
    assert len(form) == 1 and form[0].is_internal
    text = pdf_text(content(form[0]))
    assert "欠薪应急周转金审批表" in text
    for user in (mediator, supervisor, finance):
        assert user.get_username() in text
    for name in ("起草", "提交审批", "审批", "拨付"):
        assert name in text
    assert "¥4,500.00" in text and "BANK-" in text


def test_a_step_that_issues_nothing_writes_no_document(petition, clerk, mediator):
    step(petition, "accept", clerk)
    issue(petition)
    step(petition, "start_mediation", mediator)
    assert Petition.objects.get(pk=petition.pk).documents.count() == 3
