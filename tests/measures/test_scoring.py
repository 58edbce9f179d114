"""Each shipped measure scores and bands as published, and its definition is data."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from measures.definitions import DEFINITIONS_DIR, SHIPPED, check_definition, read_definition
from measures.models import MeasureVersion, RecordKeptError
from tests.factories.measures import measure

pytestmark = pytest.mark.django_db


def score(code, values):
    version = measure(code).current
    answers = {str(n): v for n, v in enumerate(values, start=1)}
    total = version.score(answers)
    return total, version.band_for(total)["label"]


@pytest.mark.parametrize(
    ("code", "items", "highest", "max_score"),
    [("phq9", 9, 3, 27), ("gad7", 7, 3, 21), ("pcl5", 20, 4, 80)],
)
def test_each_shipped_measure_has_its_published_number_of_items(code, items, highest, max_score):
    version = measure(code).current
    assert version.item_count == items
    assert max(version.values) == highest and min(version.values) == 0
    assert version.max_score == max_score


@pytest.mark.parametrize(
    ("code", "values", "expected"),
    [
        # All zeros, all maximum, and a mixed case per measure (worked by hand).
        ("phq9", [0] * 9, (0, "Minimal")),
        ("phq9", [3] * 9, (27, "Severe")),
        ("phq9", [1, 2, 1, 2, 0, 1, 2, 1, 0], (10, "Moderate")),
        ("gad7", [0] * 7, (0, "Minimal")),
        ("gad7", [3] * 7, (21, "Severe")),
        ("gad7", [2, 1, 0, 3, 1, 0, 2], (9, "Mild")),
        ("pcl5", [0] * 20, (0, "Below the provisional cut-off")),
        ("pcl5", [4] * 20, (80, "Above the provisional cut-off")),
        ("pcl5", [2, 1, 3, 2, 1, 2, 2, 0, 3, 1, 2, 1, 2, 2, 1, 0, 3, 2, 1, 2], (33, None)),
    ],
)
def test_worked_examples_score_as_published(code, values, expected):
    total, band = score(code, values)
    assert total == expected[0]
    if expected[1]:
        assert band == expected[1]
    else:
        assert band.startswith("At the provisional cut-off")


@pytest.mark.parametrize(
    ("code", "edges"),
    [
        (
            "phq9",
            {
                4: "Minimal",
                5: "Mild",
                9: "Mild",
                10: "Moderate",
                14: "Moderate",
                15: "Moderately severe",
                19: "Moderately severe",
                20: "Severe",
            },
        ),
        (
            "gad7",
            {4: "Minimal", 5: "Mild", 9: "Mild", 10: "Moderate", 14: "Moderate", 15: "Severe"},
        ),
        (
            "pcl5",
            {
                30: "Below the provisional cut-off",
                31: "At the provisional cut-off (31-33)",
                33: "At the provisional cut-off (31-33)",
                34: "Above the provisional cut-off",
            },
        ),
    ],
)
def test_band_edges_fall_where_the_published_cut_offs_are(code, edges):
    version = measure(code).current
    for total, label in edges.items():
        assert version.band_for(total)["label"] == label, (code, total)


def test_phq9_item_9_is_the_question_about_self_harm_and_alerts_from_several_days():
    version = measure("phq9").current
    assert version.item_text(9) == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert version.flagged_items({"9": 0}) == []
    assert version.flagged_items({"9": 1}) == [9]
    assert version.reliable_change == 5
    # The rule is data: the other measures alert on nothing.
    assert measure("gad7").current.alert_items == []


def test_the_stored_versions_match_the_shipped_files_word_for_word():
    from tests.factories.measures import shipped_measures

    shipped_measures()
    for name in SHIPPED:
        definition = read_definition(DEFINITIONS_DIR / name)
        version = MeasureVersion.objects.get(
            measure__code=definition["code"], number=definition["version"]
        )
        for field in ("items", "scale", "bands", "alert_items", "attribution", "instructions"):
            assert getattr(version, field) == definition[field], (name, field)


def test_attributions_name_the_authors():
    assert "Spitzer" in measure("phq9").current.attribution
    assert "Pfizer" in measure("gad7").current.attribution
    pcl5 = measure("pcl5").current.attribution
    assert "Weathers" in pcl5 and "National Center for PTSD" in pcl5 and "public domain" in pcl5


def test_a_published_version_never_changes():
    version = measure("phq9").current
    version.title = "Something else"
    with pytest.raises(RecordKeptError):
        version.save()
    with pytest.raises(RecordKeptError):
        version.delete()


def test_the_shipping_migration_can_run_twice():
    from tests.factories.measures import shipped_measures

    shipped_measures()
    before = MeasureVersion.objects.count()
    import importlib

    from django.apps import apps

    importlib.import_module("measures.migrations.0002_ship_phq9_gad7_pcl5").ship(apps, None)
    shipped_measures()
    assert MeasureVersion.objects.count() == before == 3


# --- A clinic adds a measure ------------------------------------------------------------

WHO5_LIKE = {
    "code": "wellbeing3",
    "version": 1,
    "name": "WB-3",
    "title": "A three-question wellbeing check",
    "topic": "Wellbeing",
    "instructions": "Over the last 2 weeks:",
    "items": ["I have felt cheerful", "I have felt calm", "I have felt active"],
    "scale": [
        {"value": 0, "label": "Never"},
        {"value": 1, "label": "Sometimes"},
        {"value": 2, "label": "Often"},
    ],
    "bands": [{"min": 0, "max": 2, "label": "Low"}, {"min": 3, "max": 6, "label": "Fine"}],
    "alert_items": [{"item": 2, "at_least": 2, "notice": "Question 2 is shown to your team."}],
    "attribution": "Written by the clinic for this test.",
}


def write(tmp_path, data, name="measure.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_an_admin_adds_a_measure_with_load_measure_and_loading_again_changes_nothing(
    tmp_path, capsys
):
    path = write(tmp_path, WHO5_LIKE)
    call_command("load_measure", path)
    assert "Published WB-3 version 1 (3 questions, scores 0 to 6)" in capsys.readouterr().out
    version = measure("wellbeing3").current
    assert version.flagged_items({"2": 2}) == [2]
    call_command("load_measure", path)
    assert "already published; nothing changed" in capsys.readouterr().out
    assert MeasureVersion.objects.filter(measure__code="wellbeing3").count() == 1


def test_changed_wording_under_a_published_version_number_is_refused(tmp_path):
    call_command("load_measure", write(tmp_path, WHO5_LIKE))
    changed = {**WHO5_LIKE, "items": ["I have felt glad", "I have felt calm", "I have felt active"]}
    with pytest.raises(CommandError, match="never changes"):
        call_command("load_measure", write(tmp_path, changed, "v1b.json"))
    call_command("load_measure", write(tmp_path, {**changed, "version": 2}, "v2.json"))
    assert measure("wellbeing3").current.number == 2
    assert measure("wellbeing3").current.items[0] == "I have felt glad"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            {"bands": [{"min": 0, "max": 2, "label": "Low"}, {"min": 4, "max": 6, "label": "Hi"}]},
            "without gaps",
        ),
        ({"bands": [{"min": 0, "max": 5, "label": "All but the top"}]}, "highest score, 6"),
        ({"items": []}, "items"),
        ({"scale": [{"value": 0, "label": "Only one"}]}, "at least two"),
        ({"alert_items": [{"item": 9, "at_least": 1, "notice": "x"}]}, "alert_items"),
        ({"code": "Has Spaces"}, "code"),
        ({"version": "one"}, "version"),
    ],
)
def test_a_malformed_definition_is_refused_with_what_to_fix(change, words):
    with pytest.raises(ValidationError) as refused:
        check_definition({**WHO5_LIKE, **change})
    assert words in " ".join(refused.value.messages)


def test_load_measure_says_when_the_file_is_not_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_measure", str(path))


def test_submitted_answers_never_change_nor_go_away(patient):
    from django.db import connection, transaction

    from measures.models import MeasureResponse
    from tests.factories.measures import answered

    sent = answered(patient, "gad7", [1] * 7)
    sent.answers = {"1": 3}
    with pytest.raises(RecordKeptError):
        sent.save()
    with pytest.raises(RecordKeptError):
        sent.delete()
    if connection.vendor == "postgresql":
        from django.db import DatabaseError

        with pytest.raises(DatabaseError, match="Cannot update"), transaction.atomic():
            MeasureResponse.objects.filter(pk=sent.pk).update(total_score=0)
    sent.refresh_from_db()
    assert sent.total_score == 7
