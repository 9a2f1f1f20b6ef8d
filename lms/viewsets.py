"""Wagtail's user admin adapted to an e-mail login and a single full-name field."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .models import User

FIELDS = ["email", "full_name", "is_superuser", "groups"]


class PasserelleUserCreationForm(UserCreationForm):
    first_name = None
    last_name = None
    full_name = forms.CharField(label=_("Full name"), max_length=150)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = FIELDS


class PasserelleUserEditForm(UserEditForm):
    first_name = None
    last_name = None
    full_name = forms.CharField(label=_("Full name"), max_length=150)

    class Meta(UserEditForm.Meta):
        model = User
        fields = FIELDS + ["is_active"]


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update: bool = False):
        return PasserelleUserEditForm if for_update else PasserelleUserCreationForm
