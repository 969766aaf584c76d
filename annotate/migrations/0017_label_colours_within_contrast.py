"""Every label colour reaches 3:1 against the article in both themes (#32): a colour stored before the rule
becomes the nearest shade of its hue that does (models.schema.colour_within_contrast), and the projects
whose labels changed have their schema version bumped, so that the pages' cached label colours follow."""

from django.db import migrations
from django.db.models import F


def colours_within_contrast(apps, schema_editor):
    from annotate.models.schema import COLOUR, colour_within_contrast

    Label = apps.get_model("annotate", "Label")
    Project = apps.get_model("annotate", "Project")
    changed, projects = [], set()
    for label in Label.objects.only("pk", "colour", "project_id").iterator():
        if not COLOUR.match(label.colour or ""):
            continue  # not a colour at all: left for a person to see on the schema page
        colour = colour_within_contrast(label.colour)
        if colour != label.colour.lower():
            label.colour = colour
            changed.append(label)
            projects.add(label.project_id)
    Label.objects.bulk_update(changed, ["colour"], batch_size=500)
    Project.objects.filter(pk__in=projects).update(schema_version=F("schema_version") + 1)


class Migration(migrations.Migration):
    dependencies = [("annotate", "0016_releases")]

    operations = [migrations.RunPython(colours_within_contrast, migrations.RunPython.noop)]
