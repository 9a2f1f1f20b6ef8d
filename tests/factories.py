"""factory_boy factories for the models the tests create."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from lms.models import Organisation, OrganisationType, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = OrganisationType.TRADE_UNION
    country = "MA"


class UserFactory(factory.django.DjangoModelFactory):
    """A verified, consenting user with a complete profile; `role=` puts them in a role group."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    sex = "female"
    country = "MA"
    preferred_language = "fr"
    consent_policy_version = "test"
    consent_at = factory.Faker("date_time", tzinfo=__import__("datetime").UTC)
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            group, _ = Group.objects.get_or_create(name=extracted)
            self.groups.add(group)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
