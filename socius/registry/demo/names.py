"""Name pools for synthetic persons: given names by generation and sex, family names with their
feminine forms. Built from Faker's locale lists (pl_PL, ro_RO, ru_RU, lt_LT) plus short lists of
common names per generation, so that grandparents are not called Zuzanna or Nojus.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from faker.providers.person.lt_LT import Provider as FakerLT
from faker.providers.person.pl_PL import Provider as FakerPL
from faker.providers.person.ro_RO import Provider as FakerRO
from faker.providers.person.ru_RU import Provider as FakerRU

# Generations by year of birth: before 1970, 1970-1994, from 1995.
OLD, MID, YOUNG = "old", "mid", "young"


def generation(birth_year: int) -> str:
    return OLD if birth_year < 1970 else MID if birth_year < 1995 else YOUNG


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# --- feminine forms of family names ----------------------------------------------------------------


def pl_feminine(name: str, married: bool = True) -> str:
    """Kowalski -> Kowalska, Nowicki -> Nowicka, Gadzki -> Gadzka; Nowak stays Nowak."""
    for ending in ("ski", "cki", "dzki"):
        if name.endswith(ending):
            return name[:-1] + "a"
    return name


def ru_feminine(name: str, married: bool = True) -> str:
    """Иванов -> Иванова, Пушкин -> Пушкина, Вяземский -> Вяземская; Кравченко unchanged."""
    if name.endswith(("ский", "цкий")):
        return name[:-2] + "ая"
    if name.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return name + "а"
    return name


def lt_feminine(name: str, married: bool) -> str:
    """Kazlauskas -> Kazlauskienė (married) / Kazlauskaitė; Butkus -> Butkuvienė / Butkutė;
    Stankevičius -> Stankevičienė / Stankevičiūtė; Jonaitis -> Jonaitienė / Jonaitytė."""
    rules = (
        ("ius", "ienė", "iūtė"),
        ("us", "uvienė", "utė"),
        ("ys", "ienė", "ytė"),
        ("is", "ienė", "ytė"),
        ("as", "ienė", "aitė"),
        ("a", "ienė", "aitė"),
    )
    for ending, wife, daughter in rules:
        if name.endswith(ending):
            return name[: -len(ending)] + (wife if married else daughter)
    return name


def unchanged(name: str, married: bool = True) -> str:
    return name


@dataclass(frozen=True)
class NamePool:
    """Names of one language community. `script` is "latin" or "cyrillic"."""

    code: str
    male: dict[str, Sequence[str]]  # generation -> given names
    female: dict[str, Sequence[str]]
    surnames: Sequence[str]  # masculine (dictionary) forms
    feminine: Callable[[str, bool], str]
    extra_male: Sequence[str] = ()  # a wider list drawn from now and then for variety
    extra_female: Sequence[str] = ()
    extra_surnames: Sequence[str] = ()
    extra_share: float = 0.15

    def given(self, rng: random.Random, sex: str, birth_year: int) -> str:
        extra = self.extra_male if sex == "M" else self.extra_female
        if extra and rng.random() < self.extra_share:
            return rng.choice(extra)
        pool = self.male if sex == "M" else self.female
        return rng.choice(pool[generation(birth_year)])

    def surname(self, rng: random.Random) -> str:
        if self.extra_surnames and rng.random() < 0.3:
            return rng.choice(self.extra_surnames)
        return rng.choice(self.surnames)

    def surname_for(self, base: str, sex: str, married: bool = False) -> str:
        return base if sex == "M" else self.feminine(base, married)


POLISH = NamePool(
    code="pl",
    male={
        OLD: words(
            "Stanisław Henryk Zbigniew Tadeusz Jerzy Kazimierz Józef Ryszard Jan Andrzej Janusz Władysław "
            "Czesław Edward Zdzisław Marian Bogdan Wiesław Krzysztof Mieczysław Roman Leszek Bolesław Eugeniusz"
        ),
        MID: words(
            "Tomasz Piotr Marcin Paweł Michał Krzysztof Grzegorz Łukasz Dariusz Robert Rafał Sebastian Artur "
            "Mariusz Jacek Wojciech Adam Przemysław Kamil Daniel Marek Sławomir Damian Radosław"
        ),
        YOUNG: FakerPL.first_names_male,
    },
    female={
        OLD: words(
            "Zofia Janina Krystyna Halina Danuta Barbara Teresa Irena Stanisława Jadwiga Helena Genowefa Wanda "
            "Bożena Elżbieta Maria Alicja Grażyna Czesława Leokadia Władysława Urszula Kazimiera"
        ),
        MID: words(
            "Agnieszka Katarzyna Anna Monika Magdalena Joanna Małgorzata Ewa Justyna Beata Dorota Sylwia "
            "Karolina Marta Aneta Renata Edyta Iwona Agata Paulina Emilia Natalia Kamila"
        ),
        YOUNG: FakerPL.first_names_female,
    },
    surnames=FakerPL.male_last_names,
    extra_surnames=FakerPL.unisex_last_names,
    feminine=pl_feminine,
    extra_male=FakerPL.first_names_male,
    extra_female=FakerPL.first_names_female,
    extra_share=0.1,
)

# Common Moldovan family names (the same for women), and given names by generation.
MOLDOVAN = NamePool(
    code="ro",
    male={
        OLD: words(
            "Ion Vasile Gheorghe Nicolae Mihail Petru Dumitru Constantin Grigore Ilie Tudor Anatolie Valeriu "
            "Vladimir Alexandru Pavel Simion Andrei Ștefan Iacob Efim Semion"
        ),
        MID: words(
            "Sergiu Andrei Vitalie Igor Oleg Iurie Ruslan Veaceslav Dorin Victor Alexandru Ion Vasile Gheorghe "
            "Eugeniu Radu Octavian Marin Corneliu Ștefan Denis Nicolae Valeriu Ghenadie"
        ),
        YOUNG: words(
            "Maxim Daniel David Alexandru Nichita Cristian Mihai Andrei Ion Matei Luca Artiom Dumitru Victor "
            "Gabriel Ștefan Eduard Marcel Denis Vlad Sebastian Mihail"
        ),
    },
    female={
        OLD: words(
            "Maria Ana Elena Valentina Tatiana Nina Galina Lidia Vera Zinaida Parascovia Eudochia Nadejda Raisa "
            "Ecaterina Liuba Eugenia Antonina Larisa Efrosinia Domnica Alexandra"
        ),
        MID: words(
            "Natalia Svetlana Angela Lilia Aurelia Cristina Irina Mariana Oxana Ludmila Olga Silvia Veronica "
            "Doina Rodica Diana Victoria Ala Elena Tatiana Viorica Liliana Aliona Stela"
        ),
        YOUNG: words(
            "Sofia Alexandra Daria Maria Anastasia Victoria Evelina Amelia Ecaterina Valeria Emilia Daniela "
            "Adriana Cătălina Mihaela Nicoleta Alina Corina Iuliana Ana Gabriela Cristina"
        ),
    },
    surnames=words(
        "Rusu Ceban Ciobanu Munteanu Cojocaru Lungu Popa Țurcan Rotari Sârbu Moraru Bălan Guțu Cebotari "
        "Botnari Melnic Bivol Roșca Croitoru Cazacu Grosu Popescu Postolachi Vrabie Ursu Cucu Gârbu Rotaru "
        "Căldare Bejenari Buzu Chiriac Codreanu Prisăcari Spînu Ungureanu Vasilache Zaharia Ababii Lupu "
        "Jitari Railean Negru Pascari Tabac Nistor Donțu Gaina Frunză Bordei Sandu Ostafi Mereuță Chiperi"
    ),
    extra_surnames=FakerRO.last_names,
    feminine=unchanged,
    extra_male=FakerRO.first_names_male,
    extra_female=FakerRO.first_names_female,
    extra_share=0.1,
)

RUSSIAN = NamePool(
    code="ru",
    male={
        OLD: words(
            "Владимир Николай Александр Виктор Анатолий Василий Иван Михаил Пётр Григорий Валентин Юрий Геннадий Борис"
        ),
        MID: words("Сергей Андрей Игорь Олег Дмитрий Алексей Евгений Вадим Виталий Роман Денис Руслан Павел Максим"),
        YOUNG: words("Максим Артём Даниил Никита Кирилл Илья Александр Михаил Егор Матвей Иван Дмитрий"),
    },
    female={
        OLD: words(
            "Валентина Галина Нина Людмила Тамара Надежда Раиса Зинаида Антонина Вера Любовь Лидия Мария Клавдия"
        ),
        MID: words("Ольга Елена Наталья Светлана Татьяна Ирина Оксана Марина Юлия Людмила Анна Екатерина Алла Инна"),
        YOUNG: words("Анастасия Дарья Софья Виктория Полина Алина Екатерина Мария Ксения Валерия Анна Кристина"),
    },
    # Russian and Ukrainian family names (Ukrainian ones in -енко/-ук do not change for women).
    surnames=FakerRU.last_names_male,
    extra_surnames=words(
        "Кравченко Бондаренко Шевченко Ткаченко Коваленко Мельник Кравчук Полищук Савчук Лысенко Руденко Гончарук"
    ),
    feminine=ru_feminine,
    extra_male=FakerRU.first_names_male,
    extra_female=FakerRU.first_names_female,
    extra_share=0.1,
)


def _lt_faker_given(sex: str) -> tuple[str, ...]:
    # Faker's lt_LT given names are not split by sex; Lithuanian endings tell: -as/-is/-ys/-us male, -a/-ė female.
    endings = ("as", "is", "ys", "us") if sex == "M" else ("a", "ė")
    return tuple(n for n in FakerLT.first_names if n.endswith(endings))


LITHUANIAN = NamePool(
    code="lt",
    male={
        OLD: words(
            "Jonas Antanas Petras Juozas Kazimieras Vytautas Algirdas Stasys Vladas Albinas Leonas Bronius Povilas "
            "Alfonsas Romualdas Česlovas Algimantas"
        ),
        MID: words(
            "Darius Mindaugas Tomas Andrius Gintaras Saulius Rimantas Audrius Vaidas Marius Kęstutis Arūnas "
            "Egidijus Donatas Aurimas Žydrūnas Gediminas Ramūnas"
        ),
        YOUNG: words(
            "Lukas Matas Dominykas Nojus Jokūbas Ąžuolas Rokas Karolis Mantas Dovydas Kajus Benas Augustas Herkus "
            "Joris Gabrielius Emilis"
        ),
    },
    female={
        OLD: words(
            "Ona Janina Aldona Birutė Danutė Genovaitė Stasė Regina Irena Elena Zita Vanda Marytė Teresė Laima "
            "Bronė Albina"
        ),
        MID: words(
            "Rasa Jurgita Inga Asta Kristina Vilma Jolanta Daiva Lina Rūta Edita Vaida Živilė Giedrė Laura Aušra "
            "Dalia Renata"
        ),
        YOUNG: words(
            "Gabija Emilija Austėja Kotryna Ugnė Goda Ieva Urtė Liepa Patricija Amelija Gustė Smiltė Viltė Miglė "
            "Greta Agnė"
        ),
    },
    surnames=words(
        "Kazlauskas Jankauskas Petrauskas Stankevičius Vasiliauskas Žukauskas Butkus Paulauskas Urbonas "
        "Kavaliauskas Sakalauskas Rimkus Navickas Baranauskas Mockus Lukošius Jonaitis Petraitis Kairys Šimkus "
        "Vaitkus Balčiūnas Ramanauskas Adomaitis Bernotas Budrys Dambrauskas Gudaitis Jurgelevičius Kučinskas "
        "Mažeika Norkus Pocius Rutkauskas Savickas Tamošiūnas Valančius Zabiela"
    ),
    # Faker's lt_LT list holds a few misspellings; keep the names that follow the usual endings.
    extra_surnames=tuple(
        n for n in dict.fromkeys(FakerLT.last_names) if n.endswith(("as", "is", "ys", "us", "a")) and n != "Vsiliauskas"
    ),
    feminine=lt_feminine,
    extra_male=_lt_faker_given("M"),
    extra_female=_lt_faker_given("F"),
    extra_share=0.1,
)

# Poles of the Šalčininkai district, their names as Lithuanian registers usually spell them.
LITHUANIAN_POLES = NamePool(
    code="lt-pl",
    male={
        OLD: words(
            "Stanislav Česlav Tadeuš Juzef Kazimier Jan Henrik Zbignev Ryšard Mečislav Vladislav Eduard Anton Bronislav"
        ),
        MID: words("Valdemar Dariuš Artur Robert Marek Tomaš Andžej Edvard Ričard Zdzislav Vitold Jaroslav Leonard"),
        YOUNG: words("Dominik Kamil Mateuš Patrik Adrian Damian Michal Pavel Jakub Filip Karol Oskar"),
    },
    female={
        OLD: words(
            "Jadvyga Halina Danuta Teresa Janina Stanislava Krystyna Helena Zofija Vanda Marija Irena Leokadija"
        ),
        MID: words("Renata Beata Jolanta Edita Katažyna Agnieška Ivona Alicija Barbara Elžbieta Ana Justyna Violeta"),
        YOUNG: words(
            "Julija Natalija Viktorija Karolina Paulina Monika Klaudija Veronika Aleksandra Marta Diana Emilija"
        ),
    },
    surnames=words(
        "Jankovski Sinkevič Mickevič Ivanovski Kozlovski Kaminski Voitkevič Stankevič Sadovski Markevič Pavlovič "
        "Bogdanovič Rynkevič Klimovič Juchnevič Lukaševič Griško Bielinski Šimkevič Zalevski Olševski Korsak "
        "Jasiulevič Romanovski Butkevič Račkovski Volosevič Kuzmicki"
    ),
    feminine=pl_feminine,
)
