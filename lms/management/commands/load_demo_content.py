"""Create the site tree, demo accounts and the programme modules. Safe to run again."""

from importlib import import_module

from django.core.management.base import BaseCommand

from lms.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_accounts_ensure, demo_site_ensure

# Each app that ships demo content exposes `demo.load(stdout)`; they run in this order.
DEMO_APPS = ["courses", "certificates"]


class Command(BaseCommand):
    help = "Load the Passerelle demo site, accounts and modules (idempotent)."

    def handle(self, *args, **options):
        demo_site_ensure()
        demo_accounts_ensure()
        for app in DEMO_APPS:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError:
                continue
            module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is ready. Demo accounts:"))
        for account in DEMO_ACCOUNTS:
            role = account.role or "learner"
            self.stdout.write(f"  {account.email:28} {DEMO_PASSWORD}   ({role})")
