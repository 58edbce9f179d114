"""A measure's definition as data: the JSON a clinic writes, checked before it is published.

The shipped measures are in `measures/definitions/*.json`; `manage.py load_measure` reads
a file in the same shape. A definition names its code and version number; a version that
is already published is never changed (loading it again with the same content does
nothing, with other content is refused).
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
SHIPPED = ("phq9-v1.json", "gad7-v1.json", "pcl5-v1.json")

REQUIRED = ("code", "version", "name", "title", "topic", "instructions", "items", "scale")
REQUIRED += ("bands", "attribution")
# The fields stored on a version, as they are named in the file.
VERSION_FIELDS = (
    "name",
    "title",
    "topic",
    "instructions",
    "items",
    "scale",
    "bands",
    "alert_items",
    "reliable_change",
    "minutes",
    "attribution",
)


def read_definition(path):
    """The definition in this JSON file, checked. Raises ValidationError saying what is wrong."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(f"Cannot read {path}: {error}") from None
    return check_definition(data)


def _text(value):
    return isinstance(value, str) and value.strip() != ""


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def check_definition(data):
    """Check a definition's shape and its rules; return it with its defaults filled in."""
    if not isinstance(data, dict):
        raise ValidationError("A measure definition is a JSON object.")
    missing = [name for name in REQUIRED if name not in data]
    if missing:
        raise ValidationError(f"Missing: {', '.join(missing)}.")
    errors = []
    code = data["code"]
    if not (_text(code) and code.replace("-", "").replace("_", "").isalnum() and code.islower()):
        errors.append("code: lower-case letters, digits, - and _ only (e.g. phq9).")
    if not (_whole(data["version"]) and data["version"] >= 1):
        errors.append("version: a whole number from 1.")
    for name in ("name", "title", "topic", "instructions", "attribution"):
        if not _text(data[name]):
            errors.append(f"{name}: some words are needed.")
    items = data["items"]
    if not (isinstance(items, list) and items and all(_text(item) for item in items)):
        errors.append("items: a list of the questions, each a piece of text.")
        items = []
    scale = data["scale"]
    values = []
    if isinstance(scale, list) and len(scale) >= 2:
        for choice in scale:
            if not (isinstance(choice, dict) and _whole(choice.get("value"))):
                errors.append("scale: each answer needs a whole-number value and a label.")
                break
            if not _text(choice.get("label")) or choice["value"] < 0:
                errors.append("scale: each answer needs a label and a value of 0 or more.")
                break
            values.append(choice["value"])
        if values and values != sorted(set(values)):
            errors.append("scale: values go up, each once (0, 1, 2, ...).")
    else:
        errors.append("scale: a list of at least two answers.")
    max_score = len(items) * max(values) if values and items else None
    min_score = len(items) * min(values) if values and items else None
    bands = data["bands"]
    if isinstance(bands, list) and bands and all(isinstance(b, dict) for b in bands):
        expected = min_score
        for band in bands:
            if not (
                _whole(band.get("min")) and _whole(band.get("max")) and _text(band.get("label"))
            ):
                errors.append("bands: each band needs min, max (whole numbers) and a label.")
                break
            if expected is not None and band["min"] != expected or band["max"] < band["min"]:
                errors.append(
                    f"bands: they must follow each other without gaps from {min_score} "
                    f"to {max_score}; the band “{band['label']}” starts at {band['min']}."
                )
                break
            expected = band["max"] + 1
        else:
            if max_score is not None and expected != max_score + 1:
                errors.append(f"bands: the last band must end at the highest score, {max_score}.")
    else:
        errors.append("bands: a list of severity bands.")
    alert_items = data.get("alert_items", [])
    if not isinstance(alert_items, list):
        errors.append("alert_items: a list of rules.")
        alert_items = []
    for rule in alert_items:
        if not (
            isinstance(rule, dict)
            and _whole(rule.get("item"))
            and 1 <= rule["item"] <= len(items)
            and _whole(rule.get("at_least"))
            and values
            and min(values) < rule["at_least"] <= max(values)
            and _text(rule.get("notice"))
        ):
            errors.append(
                "alert_items: each rule names an item (its number), the lowest answer value "
                "that alerts the care team (at_least), and the notice patients read first."
            )
            break
    reliable_change = data.get("reliable_change")
    if reliable_change is not None and not (_whole(reliable_change) and reliable_change >= 1):
        errors.append("reliable_change: a whole number of points, or leave it out.")
    minutes = data.get("minutes", 3)
    if not (_whole(minutes) and 1 <= minutes <= 120):
        errors.append("minutes: about how long it takes, 1 to 120.")
    position = data.get("position", 100)
    if not (_whole(position) and 0 <= position <= 1000):
        errors.append("position: where it comes in lists, 0 to 1000.")
    if errors:
        raise ValidationError(errors)
    return {
        **data,
        "alert_items": alert_items,
        "reliable_change": reliable_change,
        "minutes": minutes,
        "position": position,
    }


def version_fields(definition):
    """The values a MeasureVersion stores, from a checked definition."""
    return {name: definition[name] for name in VERSION_FIELDS}
