"""The mood and anxiety trend, computed on the server and drawn as SVG in a template.

Everything the template needs is here as plain numbers and strings, so the drawing is a
loop over points and the text alternative reads from the same rows.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from journal.models import SCALE_MAX, SCALE_MIN

WIDTH, HEIGHT = 360, 220
LEFT, RIGHT, TOP, BOTTOM = 34, 14, 14, 44
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
# Readable on a phone, and a bounded query: the newest entries of the chosen window only
# (a year of two entries a week fits); the rest is in the timeline.
MAX_POINTS = 100


MARKER = 3.5


@dataclass
class Point:
    x: float
    y: float
    value: int
    moment: datetime

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


@dataclass
class Tick:
    position: float
    label: str
    anchor: str = "middle"


@dataclass
class SessionMark:
    x: float
    moment: datetime


@dataclass
class MoodChart:
    rows: list[Row] = field(default_factory=list)
    mood: list[Point] = field(default_factory=list)
    anxiety: list[Point] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    sessions: list[SessionMark] = field(default_factory=list)
    summary: str = ""
    # The window of time chosen for it (journal.selectors.CHART_WINDOWS).
    window: str = "90"

    width = WIDTH
    height = HEIGHT
    left = LEFT
    right_edge = WIDTH - RIGHT
    top = TOP
    bottom_edge = HEIGHT - BOTTOM
    y_label_x = LEFT - 8
    session_mark_y = HEIGHT - BOTTOM + 3
    x_label_y = HEIGHT - BOTTOM + 30
    marker_size = MARKER * 2

    @property
    def is_empty(self):
        return not self.rows

    @property
    def viewbox(self):
        return f"0 0 {WIDTH} {HEIGHT}"

    @property
    def mood_line(self):
        return _polyline(self.mood)

    @property
    def anxiety_line(self):
        return _polyline(self.anxiety)

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
        rows = [Row(e.submitted_at, e.mood, e.anxiety) for e in scored]
        start, end = rows[0].moment, rows[-1].moment
        span = (end - start).total_seconds()

        def x_of(moment):
            if span == 0:
                return round(LEFT + PLOT_WIDTH / 2, 1)
            return round(LEFT + PLOT_WIDTH * (moment - start).total_seconds() / span, 1)

        def y_of(value):
            share = (value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN)
            return round(TOP + PLOT_HEIGHT * (1 - share), 1)

        chart = cls(rows=rows)
        chart.mood = [
            Point(x_of(r.moment), y_of(r.mood), r.mood, r.moment)
            for r in rows
            if r.mood is not None
        ]
        chart.anxiety = [
            Point(x_of(r.moment), y_of(r.anxiety), r.anxiety, r.moment)
            for r in rows
            if r.anxiety is not None
        ]
        chart.y_ticks = [
            Tick(y_of(value), str(value)) for value in range(SCALE_MIN, SCALE_MAX + 1, 2)
        ]
        chart.x_ticks = _date_ticks(start, end, x_of)
        chart.sessions = [
            SessionMark(x_of(s.occurred_at), s.occurred_at)
            for s in sessions
            if start <= s.occurred_at <= end
        ]
        chart.summary = _summary(chart, start, end)
        return chart


def _polyline(points):
    return " ".join(f"{p.x},{p.y}" for p in points)


def _short_date(moment):
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b}"


def _date_ticks(start, end, x_of):
    if timezone.localdate(start) == timezone.localdate(end):
        return [Tick(x_of(start), _short_date(start))]
    middle = start + (end - start) / 2
    return [
        Tick(x_of(start), _short_date(start), "start"),
        Tick(x_of(middle), _short_date(middle)),
        Tick(x_of(end), _short_date(end), "end"),
    ]


def _trend(points, name):
    if not points:
        return f"no {name} scores"
    if len(points) == 1:
        return f"{name} {points[0].value}"
    return f"{name} from {points[0].value} to {points[-1].value}"


def _summary(chart, start, end):
    count = len(chart.rows)
    entries = "entry" if count == 1 else "entries"
    when = _short_date(start) if count == 1 else f"{_short_date(start)} to {_short_date(end)}"
    return (
        f"{count} {entries}, {when}: {_trend(chart.mood, 'mood')}, "
        f"{_trend(chart.anxiety, 'anxiety')}, on a scale of 0 to 10."
    )
