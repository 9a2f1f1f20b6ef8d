"""URL converters shared by every app's urls.py.

``<id:...>`` is ``<int:...>`` bounded to 18 digits: a database id is a 64-bit integer, and a
larger number would overflow in the query (OverflowError, a 500) instead of finding nothing.
"""

from django.urls import register_converter


class IdConverter:
    """A positive database id that fits a signed 64-bit integer (at most 18 digits)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
