"""allauth hooks: where to go after login, which language to use."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        user = request.user
        if user.is_authenticated and not user.profile_complete:
            return reverse("profile")
        return super().get_login_redirect_url(request)

    def clean_email(self, email: str) -> str:
        # RFC 5321 caps an address at 254 characters; allauth's form does not check it.
        if len(email) > 254:
            raise ValidationError(_("This e-mail address is too long."))
        return super().clean_email(email)

    def is_open_for_signup(self, request) -> bool:
        return True

    def send_mail(self, template_prefix, email, context):
        # E-mails go out in the recipient's language, whatever page triggered them.
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
