"""Bank statements (ISO 20022 camt.053, versions .001.02 and later), read as a stream, and written for tests
and benchmarks (`build_from_pain001`, `write`).

Reading: `lxml.etree.iterparse` on the entries only (`Ntry`), each dropped once read, so memory stays bounded
for a statement of a million entries. Each transaction detail (`NtryDtls/TxDtls`; an entry booked as a batch
carries many) is one `StatementLine`: its EndToEndId (`Refs/EndToEndId`), amount, currency, booking date, and
whether it is a return: a return information block (`RtrInf`, with the reason code `Rsn/Cd` such as AC04
closed account, AC01 wrong account number, MS03 no reason given), a reversal (`RvslInd` true) or the bank
transaction code of a returned credit transfer (`RRTN`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from lxml import etree

from socius.payments.bankfiles.pain001 import NS as PAIN_NS

CAMT_NS_PATTERN = re.compile(rb"urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d\d)")
WRITE_NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
RETURN_FAMILY_CODES = frozenset({"RRTN", "RPCR"})


class InvalidStatement(ValueError):
    """Not a camt.053 statement this reader understands (the message says why)."""


@dataclass
class StatementLine:
    line: int
    end_to_end_id: str
    amount: Decimal
    currency: str
    booked_on: dt.date | None
    returned: bool = False
    reason_code: str = ""
    reason_text: str = ""
    credit: bool = False


@dataclass
class StatementHeader:
    """What the statement says of itself, known once it has been read to the end."""

    statement_id: str = ""
    account_iban: str = ""
    namespace: str = ""
    extra: dict = field(default_factory=dict)


MAX_AMOUNT = Decimal("1e12")  # what numeric(14, 2) holds


def checked_amount(text: str) -> Decimal:
    """A statement amount as Decimal: finite, below a trillion, at most two decimals; else InvalidStatement."""
    try:
        amount = abs(Decimal(text))
    except ArithmeticError:
        raise InvalidStatement(f"{text!r} is not an amount") from None
    if not amount.is_finite() or amount >= MAX_AMOUNT or amount.as_tuple().exponent < -2:
        raise InvalidStatement(f"{text!r} is not an amount of money")
    return amount


def sniff_namespace(head: bytes) -> str:
    match = CAMT_NS_PATTERN.search(head)
    if not match:
        raise InvalidStatement("not a camt.053 statement (no camt.053.001 namespace at the start of the file)")
    return match.group(0).decode()


def parse(stream, header: StatementHeader | None = None) -> Iterator[StatementLine]:
    """The statement's transaction lines, in order. `stream` is a seekable binary stream (or bytes); `header`,
    when given, is filled with the statement id and account when the statement element ends."""
    if isinstance(stream, bytes | bytearray):
        stream = io.BytesIO(stream)
    head = stream.read(4096)
    stream.seek(0)
    ns = sniff_namespace(head)
    header = header if header is not None else StatementHeader()
    header.namespace = ns
    q = _Paths(ns)
    number = 0
    dates: dict[str, dt.date | None] = {}  # a statement books on few days: parse each once
    try:
        for _event, element in etree.iterparse(
            stream, events=("end",), tag=(q.ntry, q.stmt), huge_tree=True, resolve_entities=False
        ):
            if element.tag == q.stmt:
                header.statement_id = header.statement_id or element.findtext(q.id) or ""
                header.account_iban = header.account_iban or element.findtext(q.acct_iban) or ""
                element.clear()
                continue
            parent = element.getparent()
            if not header.statement_id:  # read before the statement's head is dropped below
                header.statement_id = parent.findtext(q.id) or ""
                header.account_iban = parent.findtext(q.acct_iban) or ""
            # Children are walked by tag rather than found by path: ElementPath costs several µs a call.
            entry = _children(element)
            amount_el = entry[q.amt]
            entry_amount = amount_el.text.strip()
            currency = amount_el.get("Ccy", "")
            credit = _text(entry.get(q.cdt_dbt)) == "CRDT"
            reversal = _text(entry.get(q.rvsl)).lower() == "true"
            booked = _text(_child(entry.get(q.booked), q.dt)) or _text(_child(entry.get(q.booked), q.dttm))[:10]
            booked_on = dates.get(booked)
            if booked_on is None and booked:
                booked_on = dates[booked] = dt.date.fromisoformat(booked)
            entry_family = _family(entry.get(q.bktxcd), q)
            details = [c for c in entry[q.ntry_dtls] if c.tag == q.tx] if q.ntry_dtls in entry else []
            for tx in details or [None]:
                number += 1
                amount, tx_currency = entry_amount, currency
                e2e, code, text, family, returned_block = "", "", "", entry_family, None
                if tx is not None:
                    parts = _children(tx)
                    found = parts.get(q.amt)
                    if found is None and len(details) > 1 and q.amt_dtls in parts:
                        found = _child(_child(parts[q.amt_dtls], q.tx_amt), q.amt)
                        if found is None:
                            found = _child(_child(parts[q.amt_dtls], q.instd_amt), q.amt)
                    if found is not None:
                        amount, tx_currency = found.text.strip(), found.get("Ccy", currency)
                    e2e = _text(_child(parts.get(q.refs), q.e2e))
                    if e2e.upper() == "NOTPROVIDED":
                        e2e = ""
                    family = _family(parts.get(q.bktxcd), q) or family
                    returned_block = parts.get(q.rtr)
                    if returned_block is not None:
                        reason = _child(returned_block, q.rsn)
                        code = _text(_child(reason, q.cd)) or _text(_child(reason, q.prtry))
                        text = " ".join(_text(a) for a in returned_block if a.tag == q.addtl).strip()
                yield StatementLine(
                    line=number,
                    end_to_end_id=e2e[:35],
                    amount=checked_amount(amount),
                    currency=tx_currency,
                    booked_on=booked_on,
                    returned=returned_block is not None or reversal or family in RETURN_FAMILY_CODES,
                    reason_code=code[:4],
                    reason_text=text[:200],
                    credit=credit,
                )
            element.clear()
            while element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        raise InvalidStatement(f"the statement is not well-formed XML: {exc}") from exc
    except (ArithmeticError, ValueError, AttributeError) as exc:
        if isinstance(exc, InvalidStatement):
            raise
        raise InvalidStatement(f"entry {number + 1}: {exc}") from exc


class _Paths:
    """The tags read, in the statement's namespace, built once."""

    def __init__(self, ns: str):
        for name in ("Ntry", "Stmt", "Id", "Acct", "IBAN", "Amt", "CdtDbtInd", "RvslInd", "BookgDt", "Dt", "DtTm",
                     "BkTxCd", "Domn", "Fmly", "SubFmlyCd", "NtryDtls", "TxDtls", "Refs", "EndToEndId", "AmtDtls",
                     "TxAmt", "InstdAmt", "RtrInf", "Rsn", "Cd", "Prtry", "AddtlInf"):  # fmt: skip
            setattr(self, _ATTRS.get(name, name.lower()), f"{{{ns}}}{name}")
        self.acct_iban = f"{{{ns}}}Acct/{{{ns}}}Id/{{{ns}}}IBAN"


_ATTRS = {"CdtDbtInd": "cdt_dbt", "RvslInd": "rvsl", "BookgDt": "booked", "NtryDtls": "ntry_dtls", "TxDtls": "tx",
          "EndToEndId": "e2e", "AmtDtls": "amt_dtls", "TxAmt": "tx_amt", "InstdAmt": "instd_amt", "RtrInf": "rtr",
          "SubFmlyCd": "sub_family", "AddtlInf": "addtl"}  # fmt: skip


def _children(element) -> dict:
    """{tag: first child with it}."""
    out = {}
    for child in element:
        out.setdefault(child.tag, child)
    return out


def _child(element, tag: str):
    if element is not None:
        for child in element:
            if child.tag == tag:
                return child
    return None


def _text(element) -> str:
    return (element.text or "").strip() if element is not None else ""


def _family(bank_code, q: _Paths) -> str:
    """BkTxCd/Domn/Fmly/SubFmlyCd."""
    return _text(_child(_child(_child(bank_code, q.domn), q.fmly), q.sub_family))


# --- writing (tests, benchmarks) ------------------------------------------------------------------------------


@dataclass
class Booking:
    """An entry to write: a debit (the payment left the account) or, when `return_code` is set, the credit of
    its return."""

    end_to_end_id: str
    amount: Decimal
    currency: str
    booked_on: dt.date
    return_code: str = ""
    return_text: str = ""


def write(stream, bookings: Iterable[Booking], *, account_iban: str, statement_id: str, currency: str) -> None:
    """Write a camt.053.001.02 statement with one entry per booking, streamed (`etree.xmlfile`)."""
    now = dt.datetime.now().replace(microsecond=0).isoformat()
    with etree.xmlfile(stream, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("Document", xmlns=WRITE_NS), xf.element("BkToCstmrStmt"):
            xf.write(_tree("GrpHdr", [("MsgId", statement_id), ("CreDtTm", now)]))
            with xf.element("Stmt"):
                xf.write(_tree("Id", statement_id))
                xf.write(_tree("CreDtTm", now))
                xf.write(_tree("Acct", [("Id", [("IBAN", account_iban)]), ("Ccy", currency)]))
                balance = [
                    ("Tp", [("CdOrPrtry", [("Cd", "OPBD")])]),
                    ("Amt", "0.00", {"Ccy": currency}),
                    ("CdtDbtInd", "CRDT"),
                    ("Dt", [("Dt", dt.date.today().isoformat())]),
                ]
                xf.write(_tree("Bal", balance))
                for number, booking in enumerate(bookings, start=1):
                    xf.write(_entry(number, booking))


def _tree(tag, content, attrs=None) -> etree._Element:
    node = etree.Element(tag, attrs or {})
    if isinstance(content, list):
        for item in content:
            node.append(_tree(*item))
    else:
        node.text = content
    return node


def _entry(number: int, booking: Booking) -> etree._Element:
    returned = bool(booking.return_code)
    amount = f"{booking.amount:.2f}"
    sub_family = "RRTN" if returned else "ESCT"
    details = [
        ("Refs", [("AcctSvcrRef", f"REF{number}"), ("EndToEndId", booking.end_to_end_id)]),
        ("AmtDtls", [("TxAmt", [("Amt", amount, {"Ccy": booking.currency})])]),
    ]
    if returned:
        reason = [("Rsn", [("Cd", booking.return_code)])]
        if booking.return_text:
            reason.append(("AddtlInf", booking.return_text))
        details.append(("RtrInf", reason))
    return _tree(
        "Ntry",
        [
            ("NtryRef", str(number)),
            ("Amt", amount, {"Ccy": booking.currency}),
            ("CdtDbtInd", "CRDT" if returned else "DBIT"),
            ("Sts", "BOOK"),
            ("BookgDt", [("Dt", booking.booked_on.isoformat())]),
            ("ValDt", [("Dt", booking.booked_on.isoformat())]),
            ("BkTxCd", [("Domn", [("Cd", "PMNT"), ("Fmly", [("Cd", "ICDT"), ("SubFmlyCd", sub_family)])])]),
            ("NtryDtls", [("TxDtls", details)]),
        ],
    )


def build_from_pain001(
    pain_bytes: bytes,
    returned: dict[str, str] | None = None,
    *,
    booked_on: dt.date | None = None,
    statement_id: str = "STMT-1",
) -> bytes:
    """The statement a bank would send after executing our pain.001: a debit per transaction and, for the
    end-to-end ids in `returned` ({e2e: reason code}), the credit of its return (test helper)."""
    returned = returned or {}
    booked_on = booked_on or dt.date.today()
    root = etree.fromstring(pain_bytes)
    q = lambda *names: "/".join(f"{{{PAIN_NS}}}{n}" for n in names)  # noqa: E731
    bookings, account, currency = [], "", "EUR"
    for info in root.iterfind(q("CstmrCdtTrfInitn", "PmtInf")):
        account = info.findtext(q("DbtrAcct", "Id", "IBAN"))
        for tx in info.iterfind(q("CdtTrfTxInf")):
            e2e = tx.findtext(q("PmtId", "EndToEndId"))
            amount_el = tx.find(q("Amt", "InstdAmt"))
            currency = amount_el.get("Ccy")
            bookings.append(Booking(e2e, Decimal(amount_el.text), currency, booked_on))
            if e2e in returned:
                bookings.append(Booking(e2e, Decimal(amount_el.text), currency, booked_on, return_code=returned[e2e]))
    out = io.BytesIO()
    write(out, bookings, account_iban=account, statement_id=statement_id, currency=currency)
    return out.getvalue()
