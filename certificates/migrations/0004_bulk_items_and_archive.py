"""Bulk issuances record what happened to each enrolment (``BulkIssueItem``) and keep their
archive in private storage. The certificates of existing bulk issuances become "issued" items
before the old many-to-many table goes; their archive is built on the next download."""

import django.db.models.deletion
from django.db import migrations, models

import certificates.models


def copy_certificates_to_items(apps, schema_editor):
    BulkIssue = apps.get_model("certificates", "BulkIssue")
    BulkIssueItem = apps.get_model("certificates", "BulkIssueItem")
    Through = BulkIssue.certificates.through
    rows = Through.objects.select_related("certificate").order_by("pk").iterator()
    BulkIssueItem.objects.bulk_create(
        (
            BulkIssueItem(bulk_id=row.bulkissue_id, enrolment_id=row.certificate.enrolment_id,
                          certificate_id=row.certificate_id, outcome="issued")
            for row in rows
        ),
        batch_size=500,
        ignore_conflicts=True,
    )


def copy_items_to_certificates(apps, schema_editor):
    BulkIssue = apps.get_model("certificates", "BulkIssue")
    BulkIssueItem = apps.get_model("certificates", "BulkIssueItem")
    Through = BulkIssue.certificates.through
    Through.objects.bulk_create(
        (
            Through(bulkissue_id=item.bulk_id, certificate_id=item.certificate_id)
            for item in BulkIssueItem.objects.filter(certificate__isnull=False).iterator()
        ),
        batch_size=500,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("certificates", "0003_coursecertificate"),
        ("courses", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="bulkissue",
            name="archive",
            field=models.FileField(blank=True, editable=False,
                                   storage=certificates.models.private_storage, upload_to="bulk/"),
        ),
        migrations.AddField(
            model_name="bulkissue",
            name="archive_key",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="bulkissue",
            name="archive_wanted_key",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.CreateModel(
            name="BulkIssueItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("outcome", models.CharField(choices=[
                    ("issued", "Issued"), ("held", "Already held"),
                    ("skipped", "Skipped (revoked)"), ("failed", "Failed"),
                ], max_length=12)),
                ("bulk", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                           related_name="items", to="certificates.bulkissue")),
                ("certificate", models.ForeignKey(
                    blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+", to="certificates.certificate",
                )),
                ("enrolment", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                related_name="+", to="courses.enrolment")),
            ],
            options={
                "verbose_name": "bulk issuance item",
                "verbose_name_plural": "bulk issuance items",
                "constraints": [models.UniqueConstraint(fields=("bulk", "enrolment"),
                                                        name="bulk_item_one_per_enrolment")],
            },
        ),
        migrations.RunPython(copy_certificates_to_items, copy_items_to_certificates),
        migrations.RemoveField(model_name="bulkissue", name="certificates"),
    ]
