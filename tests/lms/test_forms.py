import re

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


# --- Organisation names, the cap per learner, merging duplicates (issue 9, point 31) ----------
@pytest.mark.parametrize(
    "name",
    ["Union\u202egnp.exe", "\u2067Union\u2069", "A\u200fB", "<b>Union</b>", "Union {{ x }}"],
)
def test_profile_form_refuses_organisation_names_with_markup_or_direction_controls(
    learner, name
):
    form = ProfileForm(
        data=_profile_data(new_organisation_name=name, new_organisation_type="trade_union"),
        instance=learner,
    )
    assert not form.is_valid()
    assert "new_organisation_name" in form.errors


def test_the_service_refuses_direction_controls_too():
    from django.core.exceptions import ValidationError

    from lms.services import organisation_get_or_create

    with pytest.raises(ValidationError):
        organisation_get_or_create(name="Syndicat\u202e", country="MA")
    assert not Organisation.objects.exists()


def test_a_learner_may_name_at_most_three_organisations(learner):
    from lms.services import ORGANISATIONS_PER_LEARNER

    assert ORGANISATIONS_PER_LEARNER == 3
    for n in range(3):
        form = ProfileForm(
            data=_profile_data(new_organisation_name=f"Org {n}", new_organisation_type="other"),
            instance=learner,
        )
        assert form.is_valid(), form.errors
        user_profile_update(user=learner, data=dict(form.cleaned_data))
    fourth = ProfileForm(
        data=_profile_data(new_organisation_name="Org 4", new_organisation_type="other"),
        instance=learner,
    )
    assert not fourth.is_valid()
    assert "new_organisation_name" in fourth.errors
    # Joining an organisation that exists is always possible.
    again = ProfileForm(
        data=_profile_data(new_organisation_name="org 0", new_organisation_type="other"),
        instance=learner,
    )
    assert again.is_valid(), again.errors
    assert Organisation.objects.filter(created_by=learner).count() == 3


def test_organisation_merge_moves_members_and_manager_scopes(user_factory, manager):
    from lms.models import ProgrammeManagerScope
    from lms.services import organisation_merge

    keep = Organisation.objects.create(name="UGTT", type="trade_union", country="TN")
    dupes = [
        Organisation.objects.create(name="U.G.T.T.", type="trade_union", country="TN"),
        Organisation.objects.create(name="UGTT Tunis", type="trade_union", country="TN"),
    ]
    members = [user_factory(organisation=dupes[0]), user_factory(organisation=dupes[1])]
    scope = ProgrammeManagerScope.objects.create(user=manager)
    scope.organisations.add(dupes[0], dupes[1])
    other_scope = ProgrammeManagerScope.objects.create(user=user_factory())
    other_scope.organisations.add(keep, dupes[0])

    organisation_merge(keep=keep, duplicates=dupes)

    assert list(Organisation.objects.all()) == [keep]
    for member in members:
        member.refresh_from_db()
        assert member.organisation == keep
    assert list(scope.organisations.all()) == [keep]
    assert list(other_scope.organisations.all()) == [keep]


def test_revocation_reasons_refuse_direction_controls():
    from certificates.forms import RevokeForm

    assert not RevokeForm(data={"reason": "Fraude \u202e)tset("}).is_valid()
    assert RevokeForm(data={"reason": "تم الإلغاء بسبب خطأ (Fraude)."}).is_valid()


# --- Country and organisation choices on the profile (point 14) -------------------------------
def test_profile_country_starts_empty_then_the_programme_countries(learner):
    learner.country = ""
    form = ProfileForm(instance=learner)
    html = str(form["country"])
    assert "──" not in html
    first = html.index("<option")
    assert html[first:].startswith('<option value="" selected')
    codes = re.findall(r'<option value="([A-Z]{2})"', html)
    assert codes[:8] == ["MA", "TN", "MR", "LY", "SN", "ML", "BJ", "CM"]
    assert "FR" in codes and "ZW" in codes


def test_profile_offers_no_organisation_as_an_explicit_choice(learner):
    from django.utils import translation

    with translation.override("en"):
        html = str(ProfileForm(instance=learner)["organisation"])
    assert "individual" in html.split("</option>")[0]
    form = ProfileForm(data=_profile_data(organisation=""), instance=learner)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["organisation"] is None


def test_administrators_merge_duplicates_from_the_admin(client, administrator, user_factory):
    keep = Organisation.objects.create(name="CNTS", type="trade_union", country="SN")
    dupe = Organisation.objects.create(name="C.N.T.S.", type="trade_union", country="SN")
    member = user_factory(organisation=dupe)
    client.force_login(administrator)
    response = client.post(
        "/django-admin/lms/organisation/",
        {"action": "merge_into_oldest", "_selected_action": [keep.pk, dupe.pk]},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.organisation == keep
    assert list(Organisation.objects.all()) == [keep]
