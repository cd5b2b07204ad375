"""Bank files of payment runs: ISO 20022 pain.001 credit transfers (streamed, validated against the XSD), the
run as CSV, the cash payment list as PDF, and the camt.053 / CSV bank statements read back (decision 0014).

The writers and readers here are pure file work over a run's rows; the services that export a run and download
its files (statuses, audit, storage) are in `socius.payments.exports`, those that import a statement and handle
returns in `socius.payments.statements`. `export_run` and `open_run_file` are offered here too."""

from socius.payments.bankfiles.pain001 import ExportedFile, InvalidBankFile, validate_pain001

__all__ = ["ExportedFile", "InvalidBankFile", "export_run", "open_run_file", "validate_pain001"]


def export_run(actor, run_id: int):
    """`socius.payments.exports.export_run` (imported when called: exports imports this package)."""
    from socius.payments.exports import export_run as export

    return export(actor, run_id)


def open_run_file(actor, run_id: int, format: str):
    """`socius.payments.exports.open_run_file`."""
    from socius.payments.exports import open_run_file as open_file

    return open_file(actor, run_id, format)
