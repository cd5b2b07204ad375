"""pain.001.001.03: files that validate against the official XSD, tampered files that do not, one message per
debtor account, splitting at the limit, SEPA for EUR and domestic PLN / MDL transfers."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from lxml import etree

from socius.payments.bankfiles import pain001
from socius.payments.bankfiles.pain001 import NS, InvalidBankFile, validate_pain001
from socius.payments.tests.bankfiles_factories import make_fund, make_iban, make_payment, make_run
from socius.testing.factories import PersonFactory

Q = f"{{{NS}}}"


def _xml(path):
    return etree.parse(str(path)).getroot()


def _texts(root, path):
    return [e.text for e in root.iterfind(path.replace("/", f"/{Q}").join([f".//{Q}", ""]))]


def _find(root, path):
    return root.findtext(".//" + "/".join(Q + p for p in path.split("/")))


def _all(root, path):
    return [e.text for e in root.iterfind(".//" + "/".join(Q + p for p in path.split("/")))]


@pytest.fixture
def pl_run(pl_centre, pl_finance):
    fund = make_fund(pl_centre, debtor_bic="BPKOPLPW")
    run = make_run(pl_centre, pl_finance)
    payments = [make_payment(run, fund, amount=a) for a in ("812.00", "300.50", "1200.25")]
    return run, fund, payments


def test_a_pl_run_makes_one_domestic_pln_message_that_validates(pl_run, tmp_path):
    run, fund, payments = pl_run
    files = pain001.write(run, tmp_path)
    assert [(f.currency, f.transactions, f.control_sum, f.debtor_iban) for f in files] == [
        ("PLN", 3, Decimal("2312.75"), fund.debtor_iban)
    ]
    validate_pain001(files[0].path)
    root = _xml(files[0].path)
    assert _find(root, "GrpHdr/NbOfTxs") == "3"
    assert _find(root, "GrpHdr/CtrlSum") == "2312.75"
    assert _find(root, "PmtInf/CtrlSum") == "2312.75"
    assert _find(root, "PmtInf/DbtrAgt/FinInstnId/BIC") == "BPKOPLPW"
    assert root.find(f".//{Q}SvcLvl") is None  # domestic: no SEPA service level
    assert root.find(f".//{Q}ChrgBr") is None
    assert _all(root, "CdtTrfTxInf/PmtId/EndToEndId") == [p.end_to_end_id for p in payments]
    assert _all(root, "CdtTrfTxInf/CdtrAcct/Id/IBAN") == [p.iban for p in payments]
    assert _all(root, "CdtTrfTxInf/Amt/InstdAmt") == ["812.00", "300.50", "1200.25"]
    assert {e.get("Ccy") for e in root.iter(f"{Q}InstdAmt")} == {"PLN"}
    assert _all(root, "CdtTrfTxInf/RmtInf/Ustrd") == ["Zasiłek okresowy 12/2026"] * 3
    assert _all(root, "CdtTrfTxInf/Cdtr/Nm") == [p.payee_name for p in payments]


def test_an_lt_run_is_paid_as_sepa_in_eur_with_names_in_the_sepa_character_set(lt_centre, tmp_path):
    from socius.testing.factories import UserFactory

    finance = UserFactory(centre=lt_centre, role="finance_officer")
    fund = make_fund(lt_centre)
    run = make_run(lt_centre, finance)
    person = PersonFactory(centre=lt_centre, first_name="Žydrūnė", last_name="Šalčiūtė")
    make_payment(run, fund, person=person, amount="150.00", purpose="Socialinė pašalpa")
    files = pain001.write(run, tmp_path)
    validate_pain001(files[0].path)
    root = _xml(files[0].path)
    assert files[0].currency == "EUR"
    assert _find(root, "PmtInf/PmtTpInf/SvcLvl/Cd") == "SEPA"
    assert _find(root, "PmtInf/ChrgBr") == "SLEV"
    assert _find(root, "PmtInf/DbtrAgt/FinInstnId/Othr/Id") == "NOTPROVIDED"  # the fund has no BIC
    assert _all(root, "CdtTrfTxInf/Cdtr/Nm") == ["Zydrune Salciute"]
    assert _all(root, "CdtTrfTxInf/RmtInf/Ustrd") == ["Socialine pasalpa 12/2026"]


def test_an_md_run_is_a_domestic_mdl_transfer(md_centre, md_director, tmp_path):
    fund = make_fund(md_centre)
    run = make_run(md_centre, md_director)
    make_payment(run, fund, amount="1150.00", purpose="Ajutor social")
    files = pain001.write(run, tmp_path)
    validate_pain001(files[0].path)
    root = _xml(files[0].path)
    assert files[0].currency == "MDL"
    assert fund.debtor_iban.startswith("MD")
    assert root.find(f".//{Q}SvcLvl") is None
    assert _all(root, "CdtTrfTxInf/Amt/InstdAmt") == ["1150.00"]
    assert {e.get("Ccy") for e in root.iter(f"{Q}InstdAmt")} == {"MDL"}


def test_one_message_per_debtor_account_and_funds_sharing_an_account_share_a_message(pl_centre, pl_finance, tmp_path):
    shared_account = make_iban("PL", 9001)
    state = make_fund(pl_centre, code="state", debtor_iban=shared_account)
    state_too = make_fund(pl_centre, code="state-2", debtor_iban=shared_account)
    own = make_fund(pl_centre, code="own")
    run = make_run(pl_centre, pl_finance)
    for fund in (state, own, state_too, own):
        make_payment(run, fund, amount="10.00")
    files = pain001.write(run, tmp_path)
    assert sorted((f.debtor_iban, f.transactions, f.control_sum) for f in files) == sorted(
        [(shared_account, 2, Decimal("20.00")), (own.debtor_iban, 2, Decimal("20.00"))]
    )
    for f in files:
        validate_pain001(f.path)
        assert _find(_xml(f.path), "PmtInf/DbtrAcct/Id/IBAN") == f.debtor_iban
    assert len({f.message_id for f in files}) == 2


def test_messages_are_split_at_the_limit_with_their_own_counts_and_sums(pl_centre, pl_finance, tmp_path, settings):
    settings.PAYMENTS_PAIN001_MAX_TRANSACTIONS = 2
    fund = make_fund(pl_centre)
    run = make_run(pl_centre, pl_finance)
    payments = [make_payment(run, fund, amount=f"{n}.00") for n in (1, 2, 3, 4, 5)]
    files = pain001.write(run, tmp_path)
    assert [(f.transactions, f.control_sum) for f in files] == [(2, Decimal(3)), (2, Decimal(7)), (1, Decimal(5))]
    ids = []
    for f in files:
        validate_pain001(f.path)
        ids += _all(_xml(f.path), "CdtTrfTxInf/PmtId/EndToEndId")
    assert ids == [p.end_to_end_id for p in payments]  # each payment once, in order
    assert [f.name for f in files] == [f"pain001-pl-test-2026-12-1-{n:02d}-PLN.xml" for n in (1, 2, 3)]
    # An explicit limit wins over the setting.
    assert [f.transactions for f in pain001.write(run, tmp_path, max_transactions=4)] == [4, 1]


def test_cash_and_cancelled_payments_are_not_in_the_bank_file(pl_run, tmp_path):
    run, fund, payments = pl_run
    make_payment(run, fund, channel="cashier", amount="50.00")
    make_payment(run, fund, channel="post", amount="60.00")
    payments[0].status = "cancelled"
    payments[0].save()
    files = pain001.write(run, tmp_path)
    assert [f.transactions for f in files] == [2]
    assert _all(_xml(files[0].path), "CdtTrfTxInf/PmtId/EndToEndId") == [p.end_to_end_id for p in payments[1:]]


def test_a_run_of_several_messages_is_not_written_into_one_stream(pl_centre, pl_finance):
    fund = make_fund(pl_centre)
    run = make_run(pl_centre, pl_finance)
    make_payment(run, fund)
    make_payment(run, fund)
    with pytest.raises(ValueError, match="2 messages"):
        pain001.write(run, io.BytesIO(), max_transactions=1)
    stream = io.BytesIO()
    assert len(pain001.write(run, stream)) == 1
    validate_pain001(stream.getvalue())


def test_problems_name_transfers_without_a_debtor_account_or_an_iban(pl_centre, pl_finance):
    fund = make_fund(pl_centre)
    no_account = make_fund(pl_centre, debtor_iban="")
    run = make_run(pl_centre, pl_finance)
    make_payment(run, fund)
    assert pain001.problems(run) == {}
    make_payment(run, no_account)
    make_payment(run, fund, iban="")
    assert pain001.problems(run) == {"no_debtor_account": 1, "no_iban": 1}


# --- tampered files -----------------------------------------------------------------------------------------


@pytest.fixture
def good_bytes(pl_run, tmp_path):
    run, _fund, _payments = pl_run
    data = pain001.write(run, tmp_path)[0].path.read_bytes()
    validate_pain001(data)
    return data


def _tamper(data: bytes, change) -> bytes:
    root = etree.fromstring(data)
    change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_a_file_with_a_malformed_iban_element_does_not_validate(good_bytes):
    def break_iban(root):
        root.find(f".//{Q}CdtrAcct/{Q}Id/{Q}IBAN").text = "pl61 1090-1014"

    with pytest.raises(InvalidBankFile, match="IBAN"):
        validate_pain001(_tamper(good_bytes, break_iban))


def test_a_file_with_wrong_iban_check_digits_does_not_validate(good_bytes):
    def wrong_digits(root):
        node = root.find(f".//{Q}CdtrAcct/{Q}Id/{Q}IBAN")
        node.text = node.text[:2] + ("00" if node.text[2:4] != "00" else "01") + node.text[4:]

    with pytest.raises(InvalidBankFile, match="check digits"):
        validate_pain001(_tamper(good_bytes, wrong_digits))


def test_a_file_with_a_wrong_control_sum_does_not_validate(good_bytes):
    def wrong_sum(root):
        root.find(f".//{Q}GrpHdr/{Q}CtrlSum").text = "2312.76"

    with pytest.raises(InvalidBankFile, match=r"group header: CtrlSum 2312.76 but the amounts add up to 2312.75"):
        validate_pain001(_tamper(good_bytes, wrong_sum))


def test_a_file_with_a_transaction_removed_does_not_validate(good_bytes):
    def drop_one(root):
        info = root.find(f".//{Q}PmtInf")
        info.remove(info.findall(f"{Q}CdtTrfTxInf")[-1])

    with pytest.raises(InvalidBankFile) as caught:
        validate_pain001(_tamper(good_bytes, drop_one))
    assert "group header: NbOfTxs 3 but 2 transactions" in caught.value.errors
    assert "payment information 1: NbOfTxs 3 but 2 transactions" in caught.value.errors


def test_a_file_missing_a_required_element_does_not_validate(good_bytes):
    def drop_debtor(root):
        info = root.find(f".//{Q}PmtInf")
        info.remove(info.find(f"{Q}Dbtr"))

    with pytest.raises(
        InvalidBankFile,
        match=r"Element .DbtrAcct.: This element is not expected. Expected is one of \( PoolgAdjstmntDt, Dbtr \)",
    ):
        validate_pain001(_tamper(good_bytes, drop_debtor))


def test_a_file_that_is_not_xml_does_not_validate():
    with pytest.raises(InvalidBankFile):
        validate_pain001(b"end_to_end_id,amount\nX,1.00\n")


def test_names_with_markup_and_control_characters_are_escaped_and_the_file_validates(pl_centre, pl_finance, tmp_path):
    fund = make_fund(pl_centre)
    run = make_run(pl_centre, pl_finance)
    make_payment(run, fund, payee_name="Stołówka <Pod Dębem> & S-ka\x07\tsp. z o.o.", purpose="Posiłki & <obiady>")
    files = pain001.write(run, tmp_path)
    validate_pain001(files[0].path)
    root = _xml(files[0].path)
    assert _all(root, "CdtTrfTxInf/Cdtr/Nm") == ["Stołówka <Pod Dębem> & S-ka sp. z o.o."]
    assert _all(root, "CdtTrfTxInf/RmtInf/Ustrd") == ["Posiłki & <obiady> 12/2026"]
