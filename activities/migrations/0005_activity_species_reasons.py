"""Each species link of an activity records why it is there (named in the text, or a species of
its Conservation Unit). The links move to their own table; the rows already there keep the rule
that made them: an activity of a unit had every species of the unit, a thematic one those it
names. Loading the programme then sets each link's reason as the importer decides it."""

import django.db.models.deletion
from django.db import migrations, models

REASONS = [
    ("named", "Named in the activity"),
    ("conservation_unit", "Species of its Conservation Unit"),
    ("by_hand", "Linked by hand"),
]


def copy_links(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    ActivitySpecies = apps.get_model("activities", "ActivitySpecies")
    old = Activity.species.through.objects.values_list(
        "activity_id", "species_id", "activity__section__kind"
    )
    ActivitySpecies.objects.bulk_create(
        ActivitySpecies(
            activity_id=activity_id,
            species_id=species_id,
            reason="conservation_unit" if kind == "conservation_unit" else "named",
        )
        for activity_id, species_id, kind in old.iterator()
    )


def copy_back(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    ActivitySpecies = apps.get_model("activities", "ActivitySpecies")
    Activity.species.through.objects.bulk_create(
        Activity.species.through(activity_id=activity_id, species_id=species_id)
        for activity_id, species_id in ActivitySpecies.objects.values_list(
            "activity_id", "species_id"
        ).iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0004_search_indexes"),
        ("species", "0003_russian_content"),
    ]

    operations = [
        migrations.CreateModel(
            name="ActivitySpecies",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("reason", models.CharField(choices=REASONS, default="by_hand", max_length=20,
                                            verbose_name="reason")),
                ("named_as", models.CharField(
                    blank=True, max_length=100, verbose_name="named as",
                    help_text="The words of the activity that name it, as printed (e.g. Kulan).",
                )),
                ("activity", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="species_links",
                    to="activities.activity", verbose_name="activity",
                )),
                ("species", models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT, related_name="activity_links",
                    to="species.species", verbose_name="species",
                )),
            ],
            options={"verbose_name": "activity species", "verbose_name_plural": "activity species"},
        ),
        migrations.AddConstraint(
            model_name="activityspecies",
            constraint=models.UniqueConstraint(
                fields=("activity", "species"), name="unique_species_per_activity"
            ),
        ),
        migrations.RunPython(copy_links, copy_back),
        migrations.RemoveField(model_name="activity", name="species"),
        migrations.AddField(
            model_name="activity",
            name="species",
            field=models.ManyToManyField(
                blank=True, related_name="activities", through="activities.ActivitySpecies",
                to="species.species", verbose_name="species",
            ),
        ),
    ]  # fmt: skip
