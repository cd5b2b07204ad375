"""A stand-in for the pack catalogue of services (rulebook `service_catalogue`, owner copay) used only until the
rulebook has it; `socius.services.catalogue` prefers the rulebook's. Removed at integration."""

from __future__ import annotations

from dataclasses import dataclass

from socius.rulebook import UnknownCode


@dataclass(frozen=True)
class ServiceDefinition:
    code: str
    unit: str
    label: str
    group: str
    statutory_code: str = ""
    legal_basis: str = ""
    copayment: str = "free"

    def label_in(self, language: str) -> str:
        return self.label


_ROWS = {
    "PL": (
        ServiceDefinition("pl.home_help", "hour", "Usługi opiekuńcze", "care"),
        ServiceDefinition("pl.specialist_care", "hour", "Specjalistyczne usługi opiekuńcze", "care"),
        ServiceDefinition("pl.transport", "trip", "Transport", "transport"),
        ServiceDefinition("pl.meals", "meal", "Posiłek", "meals"),
        ServiceDefinition("pl.day_centre", "day", "Dzienny dom pomocy", "day_care"),
        ServiceDefinition("pl.counselling", "session", "Poradnictwo specjalistyczne", "counselling"),
    ),
    "MD": (
        ServiceDefinition("md.home_care", "hour", "Îngrijire socială la domiciliu", "care"),
        ServiceDefinition("md.social_canteen", "meal", "Cantina de ajutor social", "meals"),
        ServiceDefinition("md.transport", "trip", "Transport", "transport"),
    ),
    "LT": (
        ServiceDefinition("lt.home_help", "hour", "Pagalba į namus", "care"),
        ServiceDefinition("lt.integrated_care", "hour", "Integrali pagalba", "care"),
        ServiceDefinition("lt.transport", "trip", "Transporto paslauga", "transport"),
        ServiceDefinition("lt.day_care", "day", "Dienos socialinė globa", "day_care"),
        ServiceDefinition("lt.prevention", "session", "Prevencinės paslaugos", "prevention"),
    ),
}


def service_catalogue(country: str) -> tuple[ServiceDefinition, ...]:
    return _ROWS.get(country.upper(), ())


def service_definition(country: str, code: str) -> ServiceDefinition:
    for row in service_catalogue(country):
        if row.code == code:
            return row
    raise UnknownCode(code)
