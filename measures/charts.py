"""Measure scores over time, computed on the server and drawn as SVG in a template.

Each measure has its own range (PHQ-9 0-27, GAD-7 0-21, PCL-5 0-80), so the chart plots
each score as a share of its measure's highest possible total: the top line is the
highest score, the bottom none. Points carry the score itself for their titles and the
table. Administration sessions are marked along the bottom, as on the mood chart.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext, ngettext

from common.charts import (
    MARKER,
    ChartFrame,
    Tick,
    date_ticks,
    polyline,
    session_marks,
    short_date,
    time_scale,
    y_of_share,
)

LEFT = 40
# Bounded, like the mood chart: the newest responses of the chosen window.
MAX_POINTS = 150
# Up to three series are told apart by shape and dash as well as colour.
STYLES = ("circle", "square", "triangle")
DASHES = ("", "6 4", "2 3")


@dataclass
class Point:
    x: float
    y: float
    score: int
    max_score: int
    band: str
    moment: datetime

    @property
    def corner_x(self):
        return round(self.x - MARKER, 1)

    @property
    def corner_y(self):
        return round(self.y - MARKER, 1)

    @property
    def triangle(self):
        return f"M{self.x} {round(self.y - MARKER - 0.5, 1)} l-4 7 h8 z"


@dataclass
class Series:
    name: str
    style: str
    dash: str
    css: str
    points: list = field(default_factory=list)

    @property
    def line(self):
        return polyline(self.points)


@dataclass
class Row:
    moment: datetime
    name: str
    score: int
    max_score: int
    band: str


@dataclass
class MeasureChart(ChartFrame):
    series: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    x_ticks: list = field(default_factory=list)
    y_ticks: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    summary: str = ""
    window: str = "90"

    left = LEFT

    @classmethod
    def from_responses(cls, responses, sessions=()):
        """Build the chart from submitted responses (any order) and administration sessions.

        Each response needs `submitted_at`, `total_score`, `band`, `measure` (code, name,
        position) and `version.max_score`.
        """
        scored = sorted(
            (r for r in responses if r.submitted_at and r.total_score is not None),
            key=lambda r: r.submitted_at,
        )[-MAX_POINTS:]
        if not scored:
            return cls()
        start, end = scored[0].submitted_at, scored[-1].submitted_at
        x_of = time_scale(start, end, left=LEFT)
        y_of = y_of_share

        by_measure = {}
        for response in scored:
            by_measure.setdefault(response.measure, []).append(response)
        chart = cls()
        ordered = sorted(by_measure, key=lambda m: (m.position, m.code))
        for index, measure in enumerate(ordered):
            series = Series(
                name=measure.name,
                style=STYLES[index % len(STYLES)],
                dash=DASHES[index % len(DASHES)],
                css=f"chart-series-{index % len(STYLES) + 1}",
            )
            for response in by_measure[measure]:
                highest = response.version.max_score or 1
                series.points.append(
                    Point(
                        x_of(response.submitted_at),
                        y_of(response.total_score / highest),
                        response.total_score,
                        highest,
                        response.band,
                        response.submitted_at,
                    )
                )
            chart.series.append(series)
        chart.rows = [
            Row(r.submitted_at, r.measure.name, r.total_score, r.version.max_score, r.band)
            for r in scored
        ]
        chart.y_ticks = [Tick(y_of(share / 100), f"{share}%") for share in range(0, 101, 25)]
        chart.x_ticks = date_ticks(start, end, x_of)
        chart.sessions = session_marks(sessions, start, end, x_of)
        chart.summary = _summary(chart, start, end)
        return chart


def _trend(series):
    first, last = series.points[0], series.points[-1]
    if len(series.points) == 1:
        return gettext("%(name)s %(score)d of %(max_score)d") % {
            "name": series.name,
            "score": first.score,
            "max_score": first.max_score,
        }
    return gettext("%(name)s from %(first)d to %(last)d of %(max_score)d") % {
        "name": series.name,
        "first": first.score,
        "last": last.score,
        "max_score": last.max_score,
    }


def _summary(chart, start, end):
    count = len(chart.rows)
    trends = "; ".join(_trend(series) for series in chart.series)
    if count == 1:
        return gettext("1 questionnaire, %(day)s: %(trends)s.") % {
            "day": short_date(start),
            "trends": trends,
        }
    return ngettext(
        "%(count)d questionnaire, %(start)s to %(end)s: %(trends)s.",
        "%(count)d questionnaires, %(start)s to %(end)s: %(trends)s.",
        count,
    ) % {"count": count, "start": short_date(start), "end": short_date(end), "trends": trends}
