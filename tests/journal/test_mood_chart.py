"""The mood and anxiety trend is drawn on the server, readable without colour or sight."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from common.charts import HEIGHT, WIDTH
from journal.charts import MoodChart
from tests.factories.journal import AdministrationSessionFactory, EntryFactory


def _entries(patient, scores):
    start = timezone.now() - timedelta(days=len(scores))
    return [
        EntryFactory(
            patient=patient, mood=mood, anxiety=anxiety, submitted_at=start + timedelta(days=i)
        )
        for i, (mood, anxiety) in enumerate(scores)
    ]


def test_points_sit_inside_the_drawing_in_time_order(patient):
    entries = _entries(patient, [(3, 8), (5, 6), (8, 2)])
    chart = MoodChart.from_entries(reversed(entries))
    assert [p.value for p in chart.mood] == [3, 5, 8]
    assert [p.value for p in chart.anxiety] == [8, 6, 2]
    xs = [p.x for p in chart.mood]
    assert xs == sorted(xs) and xs[0] == chart.left and xs[-1] == chart.right_edge
    for point in chart.mood + chart.anxiety:
        assert 0 <= point.x <= WIDTH and chart.top <= point.y <= chart.bottom_edge
    # Higher scores are drawn higher up (smaller y).
    assert chart.mood[2].y < chart.mood[0].y
    assert [t.label for t in chart.y_ticks] == ["0", "2", "4", "6", "8", "10"]
    assert chart.summary == (
        f"3 entries, {chart.x_ticks[0].label} to {chart.x_ticks[-1].label}: mood from 3 to 8, "
        "anxiety from 8 to 2, on a scale of 0 to 10."
    )


def test_entries_without_scores_and_drafts_are_left_out(patient):
    EntryFactory(patient=patient, mood=None, anxiety=None)
    EntryFactory(patient=patient, mood=4, draft=True)
    scored = EntryFactory(patient=patient, mood=None, anxiety=5)
    from journal.models import Entry

    chart = MoodChart.from_entries(Entry.objects.all())
    assert [r.anxiety for r in chart.rows] == [scored.anxiety]
    assert chart.mood == [] and len(chart.anxiety) == 1
    assert chart.anxiety[0].x == chart.left + (chart.right_edge - chart.left) / 2


def test_sessions_in_the_period_are_marked(patient):
    entries = _entries(patient, [(3, 8), (5, 6)])
    inside = AdministrationSessionFactory(
        patient=patient, occurred_at=entries[0].submitted_at + timedelta(hours=1)
    )
    outside = AdministrationSessionFactory(
        patient=patient, occurred_at=timezone.now() - timedelta(days=90)
    )
    chart = MoodChart.from_entries(entries, [inside, outside])
    assert [m.moment for m in chart.sessions] == [inside.occurred_at]


def test_the_timeline_draws_the_chart_with_a_text_alternative(client_for, patient):
    _entries(patient, [(3, 8), (5, 6), (8, 2)])
    page = client_for(patient).get(reverse("journal:timeline")).content.decode()
    assert f'viewBox="0 0 {WIDTH} {HEIGHT}"' in page and 'width="100%"' in page
    assert 'role="img"' in page and '<title id="mood-chart-title">' in page
    assert '<desc id="mood-chart-desc">3 entries' in page
    assert 'stroke-dasharray="6 4"' in page  # anxiety is dashed, not only another colour
    assert "<rect" in page and "<circle" in page  # and has square, not round, markers
    assert "Show the numbers as a table" in page and "<table>" in page
    assert "style=" not in page


def test_an_empty_journal_explains_the_chart(client_for, patient):
    page = client_for(patient).get(reverse("journal:timeline")).content.decode()
    assert "a chart of how they change appears here" in page
    assert '<svg class="chart"' not in page


def test_the_therapist_chart_uses_shared_entries_only(client_for, therapist, patient):
    EntryFactory(patient=patient, mood=1, anxiety=9)  # private
    EntryFactory(patient=patient, mood=7, anxiety=2, shared=True)
    response = client_for(therapist).get(reverse("care:patient", args=[patient.public_id]))
    chart = response.context["journal"].chart
    assert [(r.mood, r.anxiety) for r in chart.rows] == [(7, 2)]


def test_the_chart_is_drawn_with_the_same_numbers_in_spanish(client_for, patient):
    """SVG reads "34.5": a Spanish "34,5" would put every marker in the corner."""
    patient.language = "es"
    patient.save(update_fields=["language"])
    _entries(patient, [(3, 8), (5, 6), (8, 2)])
    page = client_for(patient).get(reverse("journal:timeline")).content.decode()
    drawing = page[page.index('<svg class="chart"') : page.index("</svg>", page.index("<desc"))]
    assert "<circle" in drawing and "<rect" in drawing and "Estado de ánimo 3" in drawing
    # The lines' points are pairs joined by a comma, "34.0,176.0": every other number has none.
    numbers = re.sub(r'points="[^"]*"', "", drawing)
    assert not re.search(r'="[^"]*\d,\d[^"]*"', numbers), numbers
