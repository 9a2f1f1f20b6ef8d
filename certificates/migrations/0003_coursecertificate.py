"""Move "which template does a module award" from ``CoursePage`` to ``CourseCertificate``.

The rows are copied before ``courses`` drops its column (``run_before``): the ordering is
declared here, so no ``courses`` migration names ``certificates``. A template set on a
translation counts for its source-locale page, unless the source page has its own.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_links(apps, schema_editor):
    CoursePage = apps.get_model("courses", "CoursePage")
    CourseCertificate = apps.get_model("certificates", "CourseCertificate")
    source_language = settings.LANGUAGE_CODE
    pages = (
        CoursePage.objects.filter(certificate_template__isnull=False)
        .select_related("locale")
        .order_by("pk")
    )
    links = {}
    for page in pages:
        if page.locale.language_code == source_language:
            links[page.pk] = page.certificate_template_id  # the source page's own link wins
            continue
        source = CoursePage.objects.filter(
            translation_key=page.translation_key, locale__language_code=source_language
        ).first()
        target = source.pk if source is not None else page.pk
        links.setdefault(target, page.certificate_template_id)
    CourseCertificate.objects.bulk_create(
        [CourseCertificate(course_id=course_id, template_id=template_id)
         for course_id, template_id in links.items()],
        ignore_conflicts=True,
    )


def restore_links(apps, schema_editor):
    CoursePage = apps.get_model("courses", "CoursePage")
    CourseCertificate = apps.get_model("certificates", "CourseCertificate")
    for link in CourseCertificate.objects.all():
        CoursePage.objects.filter(pk=link.course_id).update(certificate_template_id=link.template_id)


class Migration(migrations.Migration):

    dependencies = [
        ("certificates", "0002_certificate_lifecycle"),
        ("courses", "0002_audience_tags"),
    ]
    run_before = [("courses", "0003_remove_coursepage_certificate_template")]

    operations = [
        migrations.CreateModel(
            name="CourseCertificate",
            fields=[
                ("course", models.OneToOneField(
                    on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                    related_name="certificate_setting", serialize=False,
                    to="courses.coursepage", verbose_name="training module",
                )),
                ("template", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="courses",
                    to="certificates.certificatetemplate", verbose_name="certificate template",
                )),
            ],
            options={
                "verbose_name": "module certificate",
                "verbose_name_plural": "module certificates",
            },
        ),
        migrations.RunPython(copy_links, restore_links),
    ]
