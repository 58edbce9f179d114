"""What the hand-written SVG charts share: the frame, the time axis and session marks.

A chart computes plain numbers on the server and its template draws them. The journal's
mood chart and the measures' scores chart have the same frame and the same time axis, so
they line up on a page and read the same way; each adds its own series and scale.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 360, 220
RIGHT, TOP, BOTTOM = 14, 14, 44
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
MARKER = 3.5


@dataclass
class Tick:
    position: float
    label: str
    anchor: str = "middle"


@dataclass
class SessionMark:
    x: float
    moment: datetime


class ChartFrame:
    """The geometry a chart template reads; a chart sets `left` (room for its y labels)
    and keeps its table's rows in `rows`."""

    width = WIDTH
    height = HEIGHT
    right_edge = WIDTH - RIGHT
    top = TOP
    bottom_edge = HEIGHT - BOTTOM
    session_mark_y = HEIGHT - BOTTOM + 3
    x_label_y = HEIGHT - BOTTOM + 30
    marker_size = MARKER * 2
    y_label_gap = 6

    @property
    def y_label_x(self):
        return self.left - self.y_label_gap

    @property
    def is_empty(self):
        return not self.rows

    @property
    def viewbox(self):
        return f"0 0 {WIDTH} {HEIGHT}"


def time_scale(start, end, *, left):
    """x for a moment between `start` and `end`, across a plot that begins at `left`."""
    plot_width = WIDTH - left - RIGHT
    span = (end - start).total_seconds()

    def x_of(moment):
        if span == 0:
            return round(left + plot_width / 2, 1)
        return round(left + plot_width * (moment - start).total_seconds() / span, 1)

    return x_of


def y_of_share(share):
    """y for a share of the scale: 0 at the bottom line, 1 at the top."""
    return round(TOP + PLOT_HEIGHT * (1 - share), 1)


def short_date(moment):
    local = timezone.localtime(moment)
    # Django's date format: the month's short name in the reader's language.
    return date_format(local, "j M")


def date_ticks(start, end, x_of):
    if timezone.localdate(start) == timezone.localdate(end):
        return [Tick(x_of(start), short_date(start))]
    middle = start + (end - start) / 2
    return [
        Tick(x_of(start), short_date(start), "start"),
        Tick(x_of(middle), short_date(middle)),
        Tick(x_of(end), short_date(end), "end"),
    ]


def session_marks(sessions, start, end, x_of):
    """The administration sessions within the chart's time, as marks along the bottom."""
    return [
        SessionMark(x_of(s.occurred_at), s.occurred_at)
        for s in sessions
        if start <= s.occurred_at <= end
    ]


def when(start, end, count):
    """The chart's time in words, for its summary."""
    if count == 1:
        return short_date(start)
    return _("%(start)s to %(end)s") % {"start": short_date(start), "end": short_date(end)}


def polyline(points):
    return " ".join(f"{p.x},{p.y}" for p in points)
