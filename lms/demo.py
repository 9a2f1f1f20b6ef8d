"""The site tree and the demo accounts that `make run` creates. Idempotent."""

from typing import NamedTuple

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from .access import Role
from .models import HomePage, OrganisationType, ProgrammeManagerScope, User
from .services import organisation_get_or_create, role_grant, roles_ensure, user_record_consent

HOME_CONTENT = {
    "fr": {
        "title": "Accueil",
        "hero_title": "Se former pour une migration de travail équitable",
        "hero_text": "<p>Des modules gratuits pour les syndicats, les employeurs, les services de "
        "l'emploi, l'inspection du travail, les travailleurs migrants et leurs familles.</p>",
        "cta": "Voir les modules",
        "sections": [
            (
                "Apprendre à son rythme",
                "<p>Les leçons sont courtes, lisibles sur un téléphone et "
                "légères à télécharger. Vous reprenez là où vous vous êtes arrêté.</p>",
            ),
            (
                "Former à son tour",
                "<p>Les formateurs suivent leurs groupes, les présences aux "
                "ateliers et les apprenants qui deviennent formateurs.</p>",
            ),
            (
                "Un certificat vérifiable",
                "<p>Chaque module réussi donne un certificat PDF que "
                "tout employeur ou toute agence peut vérifier en ligne.</p>",
            ),
        ],
    },
    "en": {
        "title": "Home",
        "hero_title": "Training for fair labour migration",
        "hero_text": "<p>Free modules for trade unions, employers, employment services, labour "
        "inspectors, migrant workers and their families.</p>",
        "cta": "See the modules",
        "sections": [
            (
                "Learn at your own pace",
                "<p>Lessons are short, readable on a phone and light to "
                "download. You pick up where you left off.</p>",
            ),
            (
                "Train others in turn",
                "<p>Trainers follow their groups, workshop attendance and the "
                "learners who become trainers themselves.</p>",
            ),
            (
                "A certificate anyone can check",
                "<p>Each module you pass gives you a PDF "
                "certificate that any employer or agency can verify online.</p>",
            ),
        ],
    },
    "ar": {
        "title": "الصفحة الرئيسية",
        "hero_title": "التكوين من أجل هجرة عمل عادلة",
        "hero_text": "<p>وحدات تكوينية مجانية للنقابات وأصحاب العمل ومصالح التشغيل ومفتشي الشغل "
        "والعمال المهاجرين وأسرهم.</p>",
        "cta": "اطّلع على الوحدات",
        "sections": [
            (
                "تعلّم حسب وتيرتك",
                "<p>الدروس قصيرة، تُقرأ بسهولة على الهاتف وخفيفة التحميل. تستأنف من حيث توقفت.</p>",
            ),
            (
                "كوّن غيرك بدورك",
                "<p>يتابع المكوّنون مجموعاتهم والحضور في الورشات والمتعلمين "
                "الذين يصبحون مكوّنين.</p>",
            ),
            (
                "شهادة يمكن لأي شخص التحقق منها",
                "<p>كل وحدة تنجح فيها تمنحك شهادة PDF يمكن لأي "
                "مشغّل أو وكالة التحقق منها عبر الإنترنت.</p>",
            ),
        ],
    },
}

DEMO_PASSWORD = "passerelle-demo"


class DemoAccount(NamedTuple):
    email: str
    full_name: str
    role: str | None
    sex: str
    country: str
    organisation: str = ""
    organisation_type: str = OrganisationType.OTHER


DEMO_ACCOUNTS = [
    DemoAccount("learner@passerelle.test", "Aïcha Benali", None, "female", "MA",
                organisation_type=OrganisationType.INDIVIDUAL),
    DemoAccount("trainer@passerelle.test", "Moussa Diop", Role.TRAINER, "male", "SN",
                "Confédération nationale des travailleurs du Sénégal",
                OrganisationType.TRADE_UNION),
    DemoAccount("manager@passerelle.test", "Leïla Trabelsi", Role.MANAGER, "female", "TN",
                "Agence nationale pour l'emploi et le travail indépendant",
                OrganisationType.EMPLOYMENT_SERVICE),
    DemoAccount("editor@passerelle.test", "Camille Martin", Role.EDITOR, "female", "FR"),
    DemoAccount("admin@passerelle.test", "Administrateur Passerelle", "administrator",
                "undisclosed", "FR"),
]


def _home_fields(language: str) -> dict:
    content = HOME_CONTENT[language]
    return {
        "title": content["title"],
        "hero_title": content["hero_title"],
        "hero_text": content["hero_text"],
        "hero_cta_text": content["cta"],
        "sections": [
            ("section", {"heading": h, "body": b, "link_page": None, "link_text": ""})
            for h, b in content["sections"]
        ],
    }


@transaction.atomic
def demo_site_ensure() -> HomePage:
    """Create the three locales, a home page per language and point the default site at them."""
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0] for code, _ in settings.LANGUAGES
    }
    root = Page.get_first_root_node()
    home_fr = HomePage.objects.filter(locale=locales["fr"]).first()
    if home_fr is None:
        # Wagtail's initial "Welcome" page is replaced by ours.
        for page in root.get_children().exclude(content_type__model="homepage"):
            page.delete()
        home_fr = HomePage(slug="accueil", locale=locales["fr"], **_home_fields("fr"))
        root.add_child(instance=home_fr)
        home_fr.save_revision().publish()
    for code in ("en", "ar"):
        if not HomePage.objects.filter(locale=locales[code]).exists():
            page = home_fr.copy_for_translation(locales[code])
            for field, value in _home_fields(code).items():
                setattr(page, field, value)
            page.slug = {"en": "home", "ar": "home-ar"}[code]
            page.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home_fr,
            is_default_site=True,
            site_name="Passerelle",
        )
    elif site.root_page_id != home_fr.pk:
        site.root_page = home_fr
        site.site_name = "Passerelle"
        site.save()
    return home_fr


@transaction.atomic
def demo_accounts_ensure(*, password: str = DEMO_PASSWORD) -> list[User]:
    """One verified account per role, with a complete profile. Existing accounts are kept."""
    roles_ensure()
    users = []
    for account in DEMO_ACCOUNTS:
        email, role, country = account.email, account.role, account.country
        user = User.objects.filter(email=email).first()
        if user is None:
            organisation = (
                organisation_get_or_create(
                    name=account.organisation, type=account.organisation_type, country=country
                )
                if account.organisation
                else None
            )
            user = User.objects.create_user(
                email=email,
                password=password,
                full_name=account.full_name,
                country=country,
                sex=account.sex,
                organisation=organisation,
                preferred_language="fr",
            )
            user_record_consent(user=user)
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if role:
                role_grant(user=user, role=role)
            if role == Role.MANAGER:
                scope = ProgrammeManagerScope.objects.create(
                    user=user, countries=["TN", "MA", "SN"]
                )
                if organisation:
                    scope.organisations.add(organisation)
        users.append(user)
    return users
