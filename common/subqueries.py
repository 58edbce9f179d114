"""Counts as correlated subqueries: each outer row counts its own related rows.

Annotating a list with `Count` over joins multiplies the rows when there are two or more
to count; a subquery per count keeps each one to its own index, and costs the same for
one row or fifty.
"""

from django.db.models import Count, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce


def count_per(queryset, *, per):
    """How many rows of `queryset` belong to the outer row; `queryset` filters on OuterRef."""
    counted = queryset.order_by().values(per).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
