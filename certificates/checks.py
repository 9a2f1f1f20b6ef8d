"""System checks: a missing issuer key stops ``migrate`` and ``check --deploy`` at deploy time,
instead of answering 500 on the first credential someone verifies."""

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register("certificates")
def issuer_key_check(app_configs=None, **kwargs) -> list[Error]:
    from .credentials import issuer_keys

    try:
        issuer_keys()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="certificates.E001")]
    return []
