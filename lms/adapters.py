"""allauth hooks: where to go after login, which language to use, fair login limits."""

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from .ratelimit import client_ip

SIGNUP_NEXT_SESSION_KEY = "lms_signup_next"
SIGNUP_EMAIL_SESSION_KEY = "lms_signup_email"


def safe_next(request, value: str | None) -> str:
    """``value`` if it is a path on this site, else an empty string."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


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

    # --- Sign-up keeps where the person was going -------------------------------------------
    def signup_next(self, request) -> str:
        """The page a sign-up started from (?next=), kept in the session for the resend link."""
        value = safe_next(request, request.POST.get("next") or request.GET.get("next"))
        if value:
            request.session[SIGNUP_NEXT_SESSION_KEY] = value
            return value
        return safe_next(request, request.session.get(SIGNUP_NEXT_SESSION_KEY))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        # The link in the e-mail leads, once confirmed, to the login and then to the page the
        # person signed up from: allauth follows ``next`` after confirming.
        url = super().get_email_confirmation_url(request, emailconfirmation)
        target = self.signup_next(request)
        if target:
            login = f"{reverse('account_login')}?{urlencode({'next': target})}"
            url = f"{url}?{urlencode({'next': login})}"
        return url

    def send_confirmation_mail(self, request, emailconfirmation, signup) -> None:
        request.session[SIGNUP_EMAIL_SESSION_KEY] = emailconfirmation.email_address.email
        super().send_confirmation_mail(request, emailconfirmation, signup)

    def send_account_already_exists_mail(self, email: str) -> None:
        # Same work as a new account, so that timing does not tell that this address has one:
        # a new sign-up hashes its password (the costly step), so hash one here too.
        make_password(secrets.token_urlsafe(16))
        if self.request is not None:
            self.request.session[SIGNUP_EMAIL_SESSION_KEY] = email
        super().send_account_already_exists_mail(email)

    # --- Failed logins count per account *and* client IP ------------------------------------
    # allauth counts failures per account across every IP (anyone could lock a real user out)
    # and per IP (one shared office address locked every account). Here the account limit is
    # per account and IP, and the IP limit has a longer window (ACCOUNT_RATE_LIMITS).
    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{client_ip(request)}"

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        # A password reset clears that account's failures from this IP, not the IP's own count.
        rates = ratelimit.get_rates(app="allauth.account", action="login_failed")
        per_key = ",".join(f"{r.amount}/{r.duration}s/{r.per}" for r in rates if r.per == "key")
        ratelimit.clear(
            request, app="allauth.account", action="login_failed",
            config={"login_failed": per_key},
            key=self._get_login_attempts_cache_key(request, **credentials),
        )
