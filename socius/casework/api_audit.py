"""A list of case records across cases (visits, plans, documents... without `?case=`) is a read of each
case's content shown on the page: audited like a case view, naming each case's persons."""

from __future__ import annotations

from socius.casework.selectors import audit_case_reads, cases_in_scope


class AuditsCasesOfPage:
    """Mixin for a list viewset of case records: after paging, one VIEW per case on the page, written in
    two inserts. With `?case=` the selector has already audited that case (get_case_content_for)."""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and not self.request.query_params.get("case"):
            case_ids = {item.case_id for item in page}
            if case_ids:
                audit_case_reads(self.request.user, cases_in_scope(self.request.user).filter(pk__in=case_ids))
        return page
