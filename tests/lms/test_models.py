import pytest
from django.db import IntegrityError

from lms.models import User

pytestmark = pytest.mark.django_db


def test_user_logs_in_with_email_and_has_no_username():
    user = User.objects.create_user(email="Amina@Example.ORG", password="x" * 12, full_name="Amina")
    assert user.get_username() == "Amina@example.org"
    assert not hasattr(user, "username")
    assert user.check_password("x" * 12)


def test_user_email_is_unique_whatever_the_case():
    User.objects.create_user(email="amina@example.org", full_name="Amina")
    with pytest.raises(IntegrityError):
        User.objects.create_user(email="AMINA@example.org", full_name="Amina bis")


def test_profile_complete_needs_name_sex_and_country(user_factory):
    user = user_factory(sex="", country="")
    assert not user.profile_complete
    user.sex, user.country = "male", "SN"
    assert user.profile_complete
