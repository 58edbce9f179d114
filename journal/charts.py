"""The mood and anxiety trend, computed on the server and drawn as SVG in a template.

Everything the template needs is here as plain numbers and strings, and the text
alternative reads from the same rows. The markers, one per score with its words, are
drawn here rather than in a template loop: a journal page shows up to 200 of them.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.charts import (
    MARKER,
    ChartFrame,
    Tick,
    date_ticks,
    polyline,
    session_marks,
    time_scale,
    when,
    y_of_share,
)
from common.templatetags.clinic_time import friendly
from journal.models import SCALE_MAX, SCALE_MIN

LEFT = 34
# Readable on a phone, and a bounded query: the newest entries of the chosen window only
# (a year of two entries a week fits); the rest is in the timeline.
MAX_POINTS = 100


@dataclass
class Point:
    x: float
    y: float
    value: int
    moment: datetime
    # The moment in words ("Tuesday 3 November at 9 am"), worked out once per row.
    when: str

    @property
    def corner_x(self):
        return round(self.x - MARKER, 1)

    @property
    def corner_y(self):
        return round(self.y - MARKER, 1)


@dataclass
class Row:
    moment: datetime
    mood: int | None
    anxiety: int | None
    when: str


@dataclass
class MoodChart(ChartFrame):
    rows: list[Row] = field(default_factory=list)
    mood: list[Point] = field(default_factory=list)
    anxiety: list[Point] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    sessions: list = field(default_factory=list)
    summary: str = ""
    # The window of time chosen for it (journal.selectors.CHART_WINDOWS).
    window: str = "90"

    left = LEFT
    y_label_gap = 8

    @property
    def mood_line(self):
        return polyline(self.mood)

    @property
    def anxiety_line(self):
        return polyline(self.anxiety)

    # The markers are drawn here rather than in a template loop (a chart holds up to 200),
    # their coordinates written as SVG reads them ("34.5", never the page's "34,5").
    @property
    def mood_markers(self):
        """A dot per mood score, titled with the score and when it was given."""
        return _markers(
            '<circle cx="{}" cy="{}" r="{}" class="chart-mood-dot"><title>{}</title></circle>',
            ((p.x, p.y, MARKER, _("Mood %(value)s, %(when)s") % _words(p)) for p in self.mood),
        )

    @property
    def anxiety_markers(self):
        """A square per anxiety score: told apart from mood by shape, not only colour."""
        size = self.marker_size
        return _markers(
            '<rect x="{}" y="{}" width="{}" height="{}" class="chart-anxiety-dot">'
            "<title>{}</title></rect>",
            (
                (p.corner_x, p.corner_y, size, size, _("Anxiety %(value)s, %(when)s") % _words(p))
                for p in self.anxiety
            ),
        )

    @classmethod
    def from_entries(cls, entries, sessions=()):
        """Build the chart from submitted entries (any order) and administration sessions."""
        scored = sorted(
            (
                e
                for e in entries
                if e.submitted_at and (e.mood is not None or e.anxiety is not None)
            ),
            key=lambda e: e.submitted_at,
        )[-MAX_POINTS:]
        if not scored:
            return cls()
        rows = [Row(e.submitted_at, e.mood, e.anxiety, friendly(e.submitted_at)) for e in scored]
        start, end = rows[0].moment, rows[-1].moment
        x_of = time_scale(start, end, left=LEFT)

        def y_of(value):
            return y_of_share((value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN))

        chart = cls(rows=rows)
        chart.mood = [
            Point(x_of(r.moment), y_of(r.mood), r.mood, r.moment, r.when)
            for r in rows
            if r.mood is not None
        ]
        chart.anxiety = [
            Point(x_of(r.moment), y_of(r.anxiety), r.anxiety, r.moment, r.when)
            for r in rows
            if r.anxiety is not None
        ]
        chart.y_ticks = [
            Tick(y_of(value), str(value)) for value in range(SCALE_MIN, SCALE_MAX + 1, 2)
        ]
        chart.x_ticks = date_ticks(start, end, x_of)
        chart.sessions = session_marks(sessions, start, end, x_of)
        chart.summary = _summary(chart, start, end)
        return chart


def _markers(markup, rows):
    """One marker per row of values, each escaped as a template would escape it."""
    return format_html_join("", markup, rows)


def _words(point):
    return {"value": point.value, "when": point.when}


def _mood(points):
    if not points:
        return _("no mood scores")
    if len(points) == 1:
        return _("mood %(value)s") % {"value": points[0].value}
    return _("mood from %(first)s to %(last)s") % {
        "first": points[0].value,
        "last": points[-1].value,
    }


def _anxiety(points):
    if not points:
        return _("no anxiety scores")
    if len(points) == 1:
        return _("anxiety %(value)s") % {"value": points[0].value}
    return _("anxiety from %(first)s to %(last)s") % {
        "first": points[0].value,
        "last": points[-1].value,
    }


def _summary(chart, start, end):
    count = len(chart.rows)
    return ngettext(
        "%(count)s entry, %(when)s: %(mood)s, %(anxiety)s, on a scale of 0 to 10.",
        "%(count)s entries, %(when)s: %(mood)s, %(anxiety)s, on a scale of 0 to 10.",
        count,
    ) % {
        "count": count,
        "when": when(start, end, count),
        "mood": _mood(chart.mood),
        "anxiety": _anxiety(chart.anxiety),
    }
