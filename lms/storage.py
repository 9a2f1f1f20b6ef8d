"""Where files only an access-checked view hands out are kept (``STORAGES["private"]``).

Bulk certificate archives, roster files and scanned sign-in sheets live here: outside
``MEDIA_ROOT`` locally, a private bucket in production, so no media route serves them.
"""

from django.core.files.storage import storages


def private_storage():
    """The private storage (a callable, so that migrations record it by name, not by path)."""
    return storages["private"]
