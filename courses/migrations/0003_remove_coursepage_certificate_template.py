"""The module → certificate-template link now lives in ``certificates.CourseCertificate``
(its migration copies the links first)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [("courses", "0002_audience_tags")]

    operations = [
        migrations.RemoveField(model_name="coursepage", name="certificate_template"),
    ]
