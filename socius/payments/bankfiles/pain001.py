"""ISO 20022 credit transfer initiation (pain.001.001.03), written as a stream and validated against the
official XSD shipped in the `sepaxml` wheel.

One message (file) per debtor account (the fund's account) and currency, split after
`settings.PAYMENTS_PAIN001_MAX_TRANSACTIONS` transactions; one payment information block per message.
EUR is paid as SEPA (service level SEPA, charges shared SLEV, names and remittance lines in the SEPA
character set); PLN and MDL as domestic transfers (no service level). EndToEndId is the payment's
`end_to_end_id`, so the bank statement (camt.053) can be matched back.

Memory stays bounded whatever the run's size: the payments are read twice with a server-side cursor (once for
the counts and control sums each message's header must carry before its transactions, once to write them), and
each transaction is written and dropped (`lxml.etree.xmlfile`). Validation reads the file the same way
(`iterparse` with the schema) and also checks what the XSD cannot: the counts and control sums against the
transactions, and the IBANs' check digits.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone, translation
from lxml import etree
from stdnum import iban as stdnum_iban
from stdnum.iso7064 import mod_97_10

from socius.payments.bankfiles.text import cut, sepa_text
from socius.payments.statuses import PaymentChannel, PaymentStatus

NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
DEFAULT_MAX_TRANSACTIONS = 10_000
SEPA_CURRENCIES = frozenset({"EUR"})
CONTENT_TYPE = "application/xml"


class InvalidBankFile(ValueError):
    """The file is not a valid pain.001.001.03 message: `errors` says where and why."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors[:5]) + (f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""))


@dataclass(frozen=True)
class ExportedFile:
    """One pain.001 message written: its file name (and path when written to a directory), the debtor
    account, currency, number of transactions, control sum and message id."""

    name: str
    path: Path | None
    debtor_iban: str
    currency: str
    transactions: int
    control_sum: Decimal
    message_id: str


@dataclass
class _Chunk:
    debtor_iban: str
    debtor_name: str
    debtor_bic: str
    currency: str
    first_id: int
    last_id: int = 0
    count: int = 0
    total: Decimal = Decimal("0")


def max_transactions_setting() -> int:
    return int(getattr(settings, "PAYMENTS_PAIN001_MAX_TRANSACTIONS", DEFAULT_MAX_TRANSACTIONS))


def bank_transfers(run):
    """The run's payments that go into the bank files: bank transfers not cancelled."""
    from socius.payments.models import Payment

    return Payment.objects.filter(run=run, channel=PaymentChannel.BANK_TRANSFER).exclude(status=PaymentStatus.CANCELLED)


def problems(run) -> dict[str, int]:
    """What stops the bank files from being written: bank transfers without a fund with a debtor account,
    or without an IBAN. {problem: number of payments}; empty when the files can be written."""
    from django.db.models import Q

    payments = bank_transfers(run)
    out = {
        "no_debtor_account": payments.filter(Q(fund__isnull=True) | Q(fund__debtor_iban="")).count(),
        "no_iban": payments.filter(iban="").count(),
    }
    return {k: v for k, v in out.items() if v}


def _chunks(run, limit: int) -> list[_Chunk]:
    """Messages to write: per debtor account and currency, payments in id order cut every `limit`; with
    each message's count, control sum and id range. One pass over (account, currency, id, amount)."""
    rows = (
        bank_transfers(run)
        .order_by("fund__debtor_iban", "currency", "id")
        .values_list("fund__debtor_iban", "fund__debtor_name", "fund__debtor_bic", "currency", "id", "amount")
    )
    chunks: list[_Chunk] = []
    current: _Chunk | None = None
    for debtor_iban, debtor_name, debtor_bic, currency, pk, amount in rows.iterator(chunk_size=20_000):
        if (
            current is None
            or (current.debtor_iban, current.currency) != (debtor_iban, currency)
            or (current.count >= limit)
        ):
            current = _Chunk(debtor_iban, debtor_name or "", debtor_bic or "", currency, first_id=pk)
            chunks.append(current)
        current.last_id = pk
        current.count += 1
        current.total += amount
    return chunks


# Elements are built without a namespace and written inside <Document xmlns="...">, where they inherit the
# default namespace: lxml would otherwise declare it again on every element written.
def _el(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    node = etree.SubElement(parent, tag, attrs)
    if text is not None:
        node.text = text
    return node


def _path(parent, tags: str, text: str) -> etree._Element:
    """Nested elements "A/B/C" with text in the last."""
    node = parent
    for tag in tags.split("/"):
        node = _el(node, tag)
    node.text = text
    return node


def _new(tag: str) -> etree._Element:
    return etree.Element(tag)


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def file_name(run, index: int, chunk_currency: str) -> str:
    return f"pain001-{run.centre.code}-{run.month:%Y-%m}-{run.number}-{index:02d}-{chunk_currency}.xml"


def message_id(run, index: int) -> str:
    # Deterministic: a re-download is the same message, and a bank refuses a message id it already took.
    return f"SOCIUS-{run.centre_id}-{run.pk}-{index}"[:35]


def write(
    run, out, *, max_transactions: int | None = None, execution_date: dt.date | None = None
) -> list[ExportedFile]:
    """Write the run's bank transfers as pain.001.001.03 messages.

    `out` is a directory (str or Path: one file per message, named by `file_name`) or a writable binary
    stream (the run must then make exactly one message, else ValueError). Returns the files written, in
    order. Does not validate: call `validate_pain001` on each (the export does)."""
    limit = max_transactions or max_transactions_setting()
    if limit < 1:
        raise ValueError("max_transactions must be at least 1")
    chunks = _chunks(run, limit)
    if not isinstance(out, str | os.PathLike) and len(chunks) > 1:
        raise ValueError(f"{len(chunks)} messages to write: pass a directory, not a stream")
    execution_date = execution_date or timezone.localdate()
    created = timezone.localtime().replace(microsecond=0, tzinfo=None).isoformat()
    language = _language(run)
    files = []
    for index, chunk in enumerate(chunks, start=1):
        name = file_name(run, index, chunk.currency)
        msg_id = message_id(run, index)
        if isinstance(out, str | os.PathLike):
            path = Path(out) / name
            with open(path, "wb") as stream:
                _write_message(stream, run, chunk, msg_id, created, execution_date, language)
        else:
            path = None
            _write_message(out, run, chunk, msg_id, created, execution_date, language)
        files.append(ExportedFile(name, path, chunk.debtor_iban, chunk.currency, chunk.count, chunk.total, msg_id))
    return files


def _language(run) -> str:
    from socius.rulebook import get_jurisdiction

    try:
        return get_jurisdiction(run.centre.jurisdiction).default_language
    except Exception:  # an unknown jurisdiction writes in the source language
        return "en"


def _write_message(stream, run, chunk: _Chunk, msg_id: str, created: str, execution_date, language: str) -> None:
    sepa = chunk.currency in SEPA_CURRENCIES
    text = sepa_text if sepa else (lambda v: v)
    with etree.xmlfile(stream, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("Document", xmlns=NS), xf.element("CstmrCdtTrfInitn"):
            header = _new("GrpHdr")
            _el(header, "MsgId", msg_id)
            _el(header, "CreDtTm", created)
            _el(header, "NbOfTxs", str(chunk.count))
            _el(header, "CtrlSum", _amount(chunk.total))
            _path(header, "InitgPty/Nm", cut(text(run.centre.name), 70))
            xf.write(header)
            with xf.element("PmtInf"):
                info = _new("PmtInfHead")  # a carrier: its children are written one by one below
                _el(info, "PmtInfId", msg_id)
                _el(info, "PmtMtd", "TRF")
                _el(info, "BtchBookg", "true")
                _el(info, "NbOfTxs", str(chunk.count))
                _el(info, "CtrlSum", _amount(chunk.total))
                if sepa:
                    _path(_el(info, "PmtTpInf"), "SvcLvl/Cd", "SEPA")
                _el(info, "ReqdExctnDt", execution_date.isoformat())
                _path(info, "Dbtr/Nm", cut(text(chunk.debtor_name or run.centre.name), 70))
                _path(info, "DbtrAcct/Id/IBAN", _compact(chunk.debtor_iban))
                if chunk.debtor_bic:
                    _path(info, "DbtrAgt/FinInstnId/BIC", chunk.debtor_bic)
                else:
                    _path(info, "DbtrAgt/FinInstnId/Othr/Id", "NOTPROVIDED")
                if sepa:
                    _el(info, "ChrgBr", "SLEV")
                for child in info:
                    xf.write(child)
                # The transactions are the bulk of the file: each is written from a template with its values
                # escaped (a few µs) rather than built as a dozen elements (~10 times slower); the envelope stays
                # lxml's, and every file is validated against the XSD before it is offered.
                xf.flush()
                with translation.override(language):
                    buffer: list[str] = []
                    for row in _transactions(run, chunk):
                        buffer.append(_transaction_xml(row, chunk.currency, text))
                        if len(buffer) >= 2_000:
                            stream.write("".join(buffer).encode())
                            buffer.clear()
                    stream.write("".join(buffer).encode())


_TX_FIELDS = ("id", "end_to_end_id", "amount", "payee_name", "iban", "benefit", "purpose", "month")


def _transactions(run, chunk: _Chunk) -> Iterator[tuple]:
    rows = (
        bank_transfers(run)
        .filter(fund__debtor_iban=chunk.debtor_iban, currency=chunk.currency, id__gte=chunk.first_id)
        .filter(id__lte=chunk.last_id)
        .order_by("id")
        .values_list(*_TX_FIELDS)
    )
    return rows.iterator(chunk_size=5_000)


@cache
def _benefit_label(code: str, language: str) -> str:
    from socius.benefits.timeline import benefit_label

    with translation.override(language):
        return str(benefit_label(code))


def remittance(benefit: str, purpose: str, month: dt.date) -> str:
    """What the payee reads on their statement: the purpose (or the benefit's name) and the month."""
    label = purpose or (_benefit_label(benefit, translation.get_language() or "en") if benefit else "")
    return f"{label} {month:%m/%Y}".strip()


_TX = (
    "<CdtTrfTxInf><PmtId><EndToEndId>{e2e}</EndToEndId></PmtId>"
    '<Amt><InstdAmt Ccy="{currency}">{amount}</InstdAmt></Amt><Cdtr><Nm>{name}</Nm></Cdtr>'
    "<CdtrAcct><Id><IBAN>{iban}</IBAN></Id></CdtrAcct><RmtInf><Ustrd>{remittance}</Ustrd></RmtInf></CdtTrfTxInf>"
)


def _esc(value: str) -> str:
    return escape(value) if ("&" in value or "<" in value or ">" in value) else value


@lru_cache(maxsize=4096)
def _remittance_xml(benefit: str, purpose: str, month: dt.date, language: str, sepa: bool) -> str:
    line = remittance(benefit, purpose, month)
    return _esc(cut(sepa_text(line) if sepa else line, 140))


def _transaction_xml(row: tuple, currency: str, text) -> str:
    """One CdtTrfTxInf as XML text: EndToEndId, instructed amount, creditor's name and IBAN, remittance line."""
    _pk, e2e, amount, payee, iban, benefit, purpose, month = row
    return _TX.format(
        e2e=_esc(e2e),
        currency=currency,
        amount=_amount(amount),
        name=_esc(cut(text(payee), 70)),
        iban=_esc(_compact(iban)),
        remittance=_remittance_xml(benefit, purpose, month, translation.get_language(), text is sepa_text),
    )


def _compact(iban: str) -> str:
    return (iban or "").replace(" ", "").upper()


# --- validation ----------------------------------------------------------------------------------------------


@cache
def schema() -> etree.XMLSchema:
    """The official pain.001.001.03 schema, as shipped in the sepaxml wheel."""
    import sepaxml

    return etree.XMLSchema(etree.parse(str(Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd")))


def validate_pain001(source) -> None:
    """Raise InvalidBankFile unless `source` (a path, bytes or a binary stream) is a pain.001.001.03 message
    that the XSD accepts and whose counts, control sums and IBANs are right. Streamed: memory stays bounded."""
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    elif isinstance(source, os.PathLike):
        source = str(source)
    errors: list[str] = []
    claimed: dict[str, tuple[int, Decimal]] = {}
    totals = {"group": [0, Decimal(0)], "info": [0, Decimal(0)]}
    info_count = 0
    info_claims: tuple | None = None
    tag = lambda name: f"{{{NS}}}{name}"  # noqa: E731
    try:
        # Only the four elements read below reach Python (lxml filters the rest in C): a transaction costs one
        # event instead of fifteen, and the XSD validation itself runs in libxml2 as the file is read.
        for _event, element in etree.iterparse(
            source, events=("end",), tag=_CHECKED_TAGS, schema=schema(), huge_tree=True
        ):
            name = element.tag
            if name == tag("GrpHdr"):
                claimed["group"] = _claims(element)
            elif name == tag("CdtTrfTxInf"):
                if info_claims is None:  # read before the block's head is dropped below
                    info_claims = _claims(element.getparent())
                amount = Decimal(element.findtext(_AMOUNT_PATH))
                for key in totals:
                    totals[key][0] += 1
                    totals[key][1] += amount
                iban = element.findtext(_CREDITOR_IBAN_PATH)
                if iban and not _check_digits_valid(iban):
                    e2e = element.findtext(f"{tag('PmtId')}/{tag('EndToEndId')}")
                    errors.append(f"transaction {e2e}: the creditor's IBAN {iban} has wrong check digits")
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
            elif name == tag("DbtrAcct"):
                iban = element.findtext(f"{tag('Id')}/{tag('IBAN')}")
                if iban and not stdnum_iban.is_valid(iban):
                    errors.append(f"the debtor's IBAN {iban} has wrong check digits")
            elif name == tag("PmtInf"):
                info_count += 1
                count, total = info_claims or (None, None)
                info_claims = None
                if count is not None and count != totals["info"][0]:
                    errors.append(
                        f"payment information {info_count}: NbOfTxs {count} but {totals['info'][0]} transactions"
                    )
                if total is not None and total != totals["info"][1]:
                    errors.append(
                        f"payment information {info_count}: CtrlSum {total} but the amounts add up to "
                        f"{totals['info'][1]}"
                    )
                totals["info"] = [0, Decimal(0)]
                element.clear()
    except etree.XMLSyntaxError as exc:
        raise InvalidBankFile([_schema_message(exc)]) from exc
    count, total = claimed.get("group", (None, None))
    if count is not None and count != totals["group"][0]:
        errors.append(f"group header: NbOfTxs {count} but {totals['group'][0]} transactions")
    if total is not None and total != totals["group"][1]:
        errors.append(f"group header: CtrlSum {total} but the amounts add up to {totals['group'][1]}")
    if errors:
        raise InvalidBankFile(errors)


_AMOUNT_PATH = f"{{{NS}}}Amt/{{{NS}}}InstdAmt"
_CREDITOR_IBAN_PATH = f"{{{NS}}}CdtrAcct/{{{NS}}}Id/{{{NS}}}IBAN"
_CHECKED_TAGS = tuple(f"{{{NS}}}{name}" for name in ("GrpHdr", "CdtTrfTxInf", "DbtrAcct", "PmtInf"))


def _check_digits_valid(iban: str) -> bool:
    """The IBAN's ISO 7064 mod 97-10 check digits (python-stdnum's), what a corrupted file breaks. The full
    check (country format, bank codes) was made when the payment details were recorded; repeating it here
    for each of a million transactions cost four times as much (0.29 s against 0.07 s per 10,000)."""
    compact = iban.replace(" ", "").upper()
    return mod_97_10.is_valid(compact[4:] + compact[:4])


def _claims(element) -> tuple[int | None, Decimal | None]:
    count = element.findtext(f"{{{NS}}}NbOfTxs")
    total = element.findtext(f"{{{NS}}}CtrlSum")
    return (int(count) if count else None, Decimal(total) if total else None)


def _schema_message(exc: etree.XMLSyntaxError) -> str:
    message = str(exc.msg if getattr(exc, "msg", None) else exc)
    return message.replace(f"{{{NS}}}", "")
