"""Messages of Django, allauth and Wagtail that our own catalogue translates again.

Listed here so that ``makemessages`` keeps them in ``locale/``, which Django consults before the
catalogues of the packages: Django 5.2's Arabic catalogue lacks the new wording of the
password-length message (Arabic pages fell back to French), and Arabic reads "كلمة المرور" for
"password" everywhere on our site, where the packages say "كلمة السر" in places.
Nothing imports this module; it exists for the extraction.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = (
    gettext_noop("Password"),
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both fields may be "
        "case-sensitive."
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
)
