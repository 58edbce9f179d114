"""Reading the therapist's pages as their tests need them."""


def roster_patients(response):
    """The patients the roster page lists, in the order it shows them."""
    return [row.patient for row in response.context["rows"]]
