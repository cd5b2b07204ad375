"""Filtering of API collections (django-filter), shared by the apps' APIs."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend


class AskedFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend that leaves the queryset alone when the request names none of its filters.

    django-filter builds and validates a form of every filter on each request, asked for or not
    (about 1-2 ms for the person filters, a tenth of a person search). Without any of the
    filterset's parameters that form filters nothing, so it is skipped. For filtersets that
    filter only from their parameters (none overrides `filter_queryset` or `qs`).
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not request.query_params.keys() & filterset_class.base_filters.keys():
            return queryset
        return super().filter_queryset(request, queryset, view)
