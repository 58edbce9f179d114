"""Keyset pagination for the web pages: "Older entries" that costs the same at any depth.

An OFFSET page makes the database walk past every row before it, so page 10 of a long
journal is ten times the work of page 1. A keyset page starts where the last one ended
instead: "older than this moment, and this key at the same moment", which an index on
(owner, moment) answers by reading just the rows it shows.

The cursor is opaque to the person holding it (base64 of the moment and the row's
public id) and never carries the integer primary key. A cursor that cannot be read is
treated as no cursor at all: the first page, never an error page.
"""

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q

PAGE_SIZE = 20


@dataclass(frozen=True)
class Position:
    moment: datetime
    key: uuid.UUID


@dataclass
class KeysetPage:
    """One page of rows, newest first, and the cursor for the next (older) page."""

    items: list
    next_cursor: str | None = None
    # The position this page started after (None on the first page).
    after: Position | None = None

    @property
    def has_older(self):
        return self.next_cursor is not None

    @property
    def is_first(self):
        return self.after is None


def encode_cursor(moment, key):
    raw = f"{moment.isoformat()}|{key}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor):
    """The Position a cursor names, or None for a missing or unreadable one."""
    if not cursor or len(cursor) > 200:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment_text, key_text = raw.split("|")
        moment = datetime.fromisoformat(moment_text)
        key = uuid.UUID(key_text)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if moment.tzinfo is None:
        return None
    return Position(moment=moment, key=key)


def keyset_page(queryset, *, cursor=None, size=PAGE_SIZE, moment="submitted_at", key="public_id"):
    """A page of `queryset`, newest `moment` first, starting after `cursor`.

    Costs one query: it asks for one row more than it shows, to learn whether an older
    page exists.
    """
    after = decode_cursor(cursor)
    rows = queryset.order_by(F(moment).desc(), F(key).desc())
    if after is not None:
        rows = rows.filter(
            Q(**{f"{moment}__lt": after.moment})
            | Q(**{moment: after.moment, f"{key}__lt": after.key})
        )
    items = list(rows[: size + 1])
    next_cursor = None
    if len(items) > size:
        items = items[:size]
        last = items[-1]
        next_cursor = encode_cursor(getattr(last, moment), getattr(last, key))
    return KeysetPage(items=items, next_cursor=next_cursor, after=after)


def older_page_url(request, page, *, anchor=""):
    """The address of the page after `page` (older rows), keeping the other parameters."""
    if not page.has_older:
        return None
    params = request.GET.copy()
    params["before"] = page.next_cursor
    return f"{request.path}?{params.urlencode()}{anchor}"
