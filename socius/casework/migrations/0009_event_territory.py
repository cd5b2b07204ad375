"""Where contacts, cases and home visits happened, for the reports (issue 12): a locality kept on the event.

Existing rows take the locality their household (or person) has now: the best the registry knows.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    Case = apps.get_model("casework", "Case")
    Contact = apps.get_model("casework", "Contact")
    HomeVisit = apps.get_model("casework", "HomeVisit")
    Household = apps.get_model("registry", "Household")
    Person = apps.get_model("registry", "Person")
    of_household = Subquery(Household.objects.filter(pk=OuterRef("household_id")).values("territory_id")[:1])
    of_person = Subquery(Person.objects.filter(pk=OuterRef("person_id")).values("territory_id")[:1])
    Case.objects.filter(household__isnull=False).update(territory_id=of_household)
    Case.objects.filter(household__isnull=True, person__isnull=False).update(territory_id=of_person)
    Contact.objects.filter(household__isnull=False).update(territory_id=of_household)
    first_person = Subquery(
        Person.objects.filter(contacts=OuterRef("pk"), territory__isnull=False)
        .order_by("pk")
        .values("territory_id")[:1]
    )
    Contact.objects.filter(territory__isnull=True).update(territory_id=first_person)
    HomeVisit.objects.update(
        territory_id=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("territory_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_carer_role"),
        ("casework", "0008_change_trail_case_records"),
        ("registry", "0003_change_trail"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="territory",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.territory",
                verbose_name="locality",
            ),
        ),
        migrations.AddField(
            model_name="contact",
            name="territory",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.territory",
                verbose_name="locality",
            ),
        ),
        migrations.AddField(
            model_name="homevisit",
            name="territory",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.territory",
                verbose_name="locality",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
