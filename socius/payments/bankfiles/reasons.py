"""Return reason codes of the ISO 20022 external code list (ExternalReturnReason1Code) that banks send back
with a returned credit transfer, in words."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

RETURN_REASONS = {
    "AC01": _("Incorrect account number"),
    "AC04": _("Closed account number"),
    "AC06": _("Blocked account"),
    "AG01": _("Transaction forbidden on this account"),
    "AG02": _("Invalid bank operation code"),
    "AM05": _("Duplicate payment"),
    "BE04": _("Missing creditor address"),
    "MD07": _("Account holder deceased"),
    "MS02": _("Refused by the payee, reason not given"),
    "MS03": _("Reason not given by the bank"),
    "RC01": _("Incorrect bank identifier"),
    "RR01": _("Missing debtor account or identification"),
    "FOCR": _("Returned after a cancellation request"),
}


def reason_in_words(code: str, text: str = "") -> str:
    """The bank's own words when it sent some, else the code's meaning, else the code."""
    if text:
        return text
    meaning = RETURN_REASONS.get((code or "").upper())
    return str(meaning) if meaning else (code or "")
