"""Bank files of payment runs: ISO 20022 pain.001 credit transfers (streamed, validated against the XSD), the
run as CSV, the cash payment list as PDF, and the camt.053 / CSV bank statements read back (decision 0014).

The writers and readers here are pure file work over a run's rows; the services that export a run and import a
statement (statuses, audit, storage) are in `socius.payments.exports` and `socius.payments.statements`."""

from socius.payments.bankfiles.pain001 import ExportedFile, InvalidBankFile, validate_pain001

__all__ = ["ExportedFile", "InvalidBankFile", "validate_pain001"]
