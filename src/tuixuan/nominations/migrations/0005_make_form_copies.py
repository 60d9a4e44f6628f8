"""Photos uploaded before form copies existed get theirs (see ``files.attach_form_copy``).

Not atomic: each photo is saved on its own, so a large table is not locked while thousands of
photos are decoded, and an interrupted run is simply run again (it picks up the photos that
still have no copy). Reversing it deletes the copies, so none is left behind without its row.
"""

from django.db import migrations


def make_form_copies(apps, schema_editor):
    from tuixuan.nominations.files import attach_form_copy

    Photo = apps.get_model("nominations", "Photo")
    for photo in Photo.objects.filter(form_copy="").select_related("nomination").iterator():
        try:
            with photo.file.open("rb") as source:
                attach_form_copy(photo, source)
        except OSError:
            continue  # the original is missing: the forms will say so, the upgrade goes on
        if photo.form_copy:
            photo.save(update_fields=["form_copy"])


def delete_form_copies(apps, schema_editor):
    Photo = apps.get_model("nominations", "Photo")
    for photo in Photo.objects.exclude(form_copy="").iterator():
        photo.form_copy.delete(save=False)
        photo.save(update_fields=["form_copy"])


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("nominations", "0004_photo_form_copy"),
    ]

    operations = [
        migrations.RunPython(make_form_copies, delete_form_copies, elidable=True),
    ]
