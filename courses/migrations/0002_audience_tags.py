from django.db import migrations

AUDIENCES = [
    "trade_unions", "employers", "migrants_families", "trainers", "labour_inspectors",
    "employment_counsellors",
]


def create_audiences(apps, schema_editor):
    AudienceTag = apps.get_model("courses", "AudienceTag")
    for code in AUDIENCES:
        AudienceTag.objects.get_or_create(code=code)


class Migration(migrations.Migration):

    dependencies = [("courses", "0001_initial")]

    operations = [migrations.RunPython(create_audiences, migrations.RunPython.noop)]
