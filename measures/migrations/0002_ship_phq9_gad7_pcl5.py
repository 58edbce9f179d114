"""Ship the PHQ-9, GAD-7 and PCL-5 as version 1 of each, published.

The definitions are the JSON files beside the app (measures/definitions/), read as data:
no app code is imported. A version already stored is left exactly as it is, so this can
run twice; a test checks that the stored rows still match the files, so a shipped file
is never edited in place (new wording is a new file, with a new version number).
"""

import json
from pathlib import Path

from django.db import migrations

FILES = ("phq9-v1.json", "gad7-v1.json", "pcl5-v1.json")
DEFINITIONS = Path(__file__).resolve().parent.parent / "definitions"
FIELDS = (
    "name", "title", "topic", "instructions", "items", "scale", "bands", "alert_items",
    "reliable_change", "minutes", "attribution",
)


def ship(apps, schema_editor):
    Measure = apps.get_model("measures", "Measure")
    MeasureVersion = apps.get_model("measures", "MeasureVersion")
    for name in FILES:
        data = json.loads((DEFINITIONS / name).read_text(encoding="utf-8"))
        measure, _ = Measure.objects.get_or_create(
            code=data["code"],
            defaults={"name": data["name"], "position": data.get("position", 100)},
        )
        if not MeasureVersion.objects.filter(measure=measure, number=data["version"]).exists():
            MeasureVersion.objects.create(
                measure=measure,
                number=data["version"],
                max_score=len(data["items"]) * max(c["value"] for c in data["scale"]),
                **{field: data.get(field) for field in FIELDS if field in data},
            )


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_measures_schedules_responses_alerts")]

    # Reversing keeps the shipped versions on purpose: patients may have answered them.
    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
