import pytest

from lms.forms import ProfileForm, SignupForm
from lms.models import Organisation, OrganisationType
from lms.services import user_profile_update

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    ["<script>alert(1)</script>", "Ali {{ 7*7 }}", "Zeynab\u200bX\x00", "   ", "x" * 151],
)
def test_signup_form_rejects_names_that_cannot_be_names(name):
    form = SignupForm(data={"full_name": name, "consent": "on"})
    assert not form.is_valid()
    assert "full_name" in form.errors


def test_signup_form_normalises_spaces_and_keeps_arabic_names():
    form = SignupForm(data={"full_name": "  فاطمة   الزهراء  ", "consent": "on"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["full_name"] == "فاطمة الزهراء"


def test_signup_form_requires_consent():
    from django.utils import translation

    with translation.override("en"):
        form = SignupForm(data={"full_name": "Awa Ndiaye"})
        assert not form.is_valid()
        assert "privacy policy" in str(form.errors["consent"])
    with translation.override("ar"):
        form = SignupForm(data={"full_name": "Awa Ndiaye"})
        form.is_valid()
        assert "سياسة الخصوصية" in str(form.errors["consent"])


def _profile_data(**overrides):
    data = {
        "full_name": "Awa Ndiaye",
        "sex": "female",
        "year_of_birth": "1990",
        "country": "SN",
        "organisation": "",
        "new_organisation_name": "",
        "new_organisation_type": "",
        "preferred_language": "fr",
    }
    data.update(overrides)
    return data


def test_profile_form_requires_sex_and_country(learner):
    form = ProfileForm(data=_profile_data(sex="", country=""), instance=learner)
    assert not form.is_valid()
    assert set(form.errors) == {"sex", "country"}


@pytest.mark.parametrize("year", ["1800", "2025", "abc"])
def test_profile_form_rejects_implausible_years_of_birth(learner, year):
    form = ProfileForm(data=_profile_data(year_of_birth=year), instance=learner)
    assert not form.is_valid()
    assert "year_of_birth" in form.errors


def test_profile_form_new_organisation_needs_a_type(learner):
    form = ProfileForm(data=_profile_data(new_organisation_name="UGTT"), instance=learner)
    assert not form.is_valid()
    assert "new_organisation_type" in form.errors


def test_profile_form_refuses_both_an_existing_and_a_new_organisation(learner):
    org = Organisation.objects.create(name="CNTS", type=OrganisationType.TRADE_UNION, country="SN")
    form = ProfileForm(
        data=_profile_data(
            organisation=str(org.pk), new_organisation_name="Autre", new_organisation_type="other"
        ),
        instance=learner,
    )
    assert not form.is_valid()
    assert "new_organisation_name" in form.errors


def test_profile_update_creates_or_reuses_the_organisation_case_insensitively(user_factory):
    first, second = user_factory(), user_factory()
    for user, typed in ((first, "Union Générale"), (second, "  union   générale ")):
        form = ProfileForm(
            data=_profile_data(
                new_organisation_name=typed, new_organisation_type="trade_union", country="TN"
            ),
            instance=user,
        )
        assert form.is_valid(), form.errors
        user_profile_update(user=user, data=dict(form.cleaned_data))
    assert Organisation.objects.count() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.organisation_id == second.organisation_id
    assert first.organisation.type == "trade_union"
    assert first.organisation.country == "TN"
