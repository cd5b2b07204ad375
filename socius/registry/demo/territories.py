"""Territory trees of the three demo centres, as data: real place names, levels from each pack.

Each tree is written from the top down; a node's level is taken from the jurisdiction pack's
`territory_levels` by depth (PL: powiat > gmina > sołectwo; MD: raion > comună > sat; LT:
savivaldybė > seniūnija > kaimas/miestas). Only names checked against a public source are listed:

- PL: villages of gmina Moszczenica (powiat piotrkowski, województwo łódzkie) as listed in the
  TERYT-based gazetteer (Wikipedia, "Gmina Moszczenica, Łódź Voivodeship"); compound settlements
  whose spelling we could not confirm (e.g. Gościmowice Drugie-Powęziny, Raków Duży) are left out.
- MD: the 11 mayoralties (primării) and 15 villages of raionul Dubăsari under the
  constitutional authorities (odimm.md district profile; commune composition per Legea 764/2001
  as summarised on Wikipedia). Roghi (comuna Molovata Nouă) is controlled by the Tiraspol
  authorities: it is in the tree but gets no demo households.
- LT: the 13 elderships of Šalčininkų rajono savivaldybė (regionai.stat.gov.lt) with each
  eldership's seat and a few larger villages (vilnijosvartai.lt eldership pages).

`weight` is the relative share of demo households a village gets (bigger places more); it is a
rough demo distribution, not a population figure.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    name: str
    children: tuple[Place, ...] = ()
    weight: int = 1


def _villages(*items: str | tuple[str, int]) -> tuple[Place, ...]:
    return tuple(Place(i) if isinstance(i, str) else Place(i[0], weight=i[1]) for i in items)


PL = Place(
    "powiat piotrkowski",
    (
        Place(
            "gmina Moszczenica",
            _villages(
                "Baby",
                "Białkowice",
                "Dąbrówka",
                "Gajkowice",
                "Gazomka",
                "Gościmowice Pierwsze",
                "Gościmowice Drugie",
                "Jarosty",
                "Karlin",
                "Kiełczówka",
                "Kosów",
                "Michałów",
                ("Moszczenica", 5),
                "Nowa Gazomia",
                "Podolin",
                "Pomyków",
                "Raciborowice",
                "Raków",
                "Rękoraj",
                "Sierosław",
                ("Srock", 2),
                "Stara Gazomia",
            ),
        ),
    ),
)

MD = Place(
    "raionul Dubăsari",
    (
        Place("Cocieri", _villages(("Cocieri", 3), "Vasilievca")),
        Place("Corjova", _villages(("Corjova", 2), "Mahala")),
        Place("Coșnița", _villages(("Coșnița", 5), "Pohrebea")),
        Place("Doroțcaia", _villages(("Doroțcaia", 2))),
        Place("Holercani", _villages(("Holercani", 2))),
        Place("Marcăuți", _villages("Marcăuți")),
        Place("Molovata", _villages(("Molovata", 2))),
        Place("Molovata Nouă", _villages(("Molovata Nouă", 2), ("Roghi", 0))),
        Place("Oxentea", _villages(("Oxentea", 2))),
        Place("Pîrîta", _villages("Pîrîta")),
        Place("Ustia", _villages(("Ustia", 2))),
    ),
)

LT = Place(
    "Šalčininkų rajono savivaldybė",
    (
        Place("Akmenynės seniūnija", _villages("Akmenynė", "Kurmelionys", "Žaltūnai")),
        Place("Baltosios Vokės seniūnija", _villages("Baltoji Vokė", "Rūdninkai")),
        Place("Butrimonių seniūnija", _villages("Butrimonys")),
        Place("Dainavos seniūnija", _villages("Dainava")),
        Place("Dieveniškių seniūnija", _villages("Dieveniškės", "Rudnia", "Krakūnai", "Jurgelionys")),
        Place("Eišiškių seniūnija", _villages(("Eišiškės", 4))),
        Place("Gerviškių seniūnija", _villages("Gerviškės")),
        Place("Jašiūnų seniūnija", _villages(("Jašiūnai", 2))),
        Place("Kalesninkų seniūnija", _villages("Kalesninkai")),
        Place("Pabarės seniūnija", _villages("Pabarė")),
        Place("Poškonių seniūnija", _villages("Poškonys")),
        Place(
            "Šalčininkų seniūnija",
            _villages(("Šalčininkai", 7), "Šalčininkėliai", "Zavišonys", "Baušiai", "Sakalinė"),
        ),
        Place("Turgelių seniūnija", _villages("Turgeliai")),
    ),
)

TREES: dict[str, Place] = {"PL": PL, "MD": MD, "LT": LT}

# The node each centre serves, as a path of names from the root: a GOPS serves its gmina; the
# Moldovan directorate its raion; the Lithuanian centre its district municipality.
CENTRE_TERRITORY: dict[str, tuple[str, ...]] = {
    "PL": ("powiat piotrkowski", "gmina Moszczenica"),
    "MD": ("raionul Dubăsari",),
    "LT": ("Šalčininkų rajono savivaldybė",),
}
