"""Create the Ed25519 key that signs Open Badges credentials (never commit it)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from certificates.credentials import (
    issuer_key_generate,
    issuer_key_pem,
    issuer_key_reset,
    issuer_key_write,
)


class Command(BaseCommand):
    help = (
        "Generate the Open Badges issuer key (Ed25519) into CERTIFICATE_ISSUER_KEY_FILE, "
        "or print it with --print for the CERTIFICATE_ISSUER_KEY environment variable."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--print",
            action="store_true",
            dest="print_key",
            help="Print the private key (PEM) to standard output instead of writing the file.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace an existing key file; credentials signed with it stop verifying.",
        )

    def handle(self, *args, print_key: bool = False, force: bool = False, **options):
        key = issuer_key_generate()
        kid = key.thumbprint()
        if print_key:
            # stdout carries only the PEM so that `VAR="$(manage.py ... --print)"` works.
            self.stdout.write(issuer_key_pem(key), ending="")
            self.stderr.write(f"kid: {kid}")
            return

        key_file = getattr(settings, "CERTIFICATE_ISSUER_KEY_FILE", None)
        if not key_file:
            raise CommandError("CERTIFICATE_ISSUER_KEY_FILE is not set; use --print instead.")
        path = Path(key_file)
        if path.exists() and not force:
            raise CommandError(
                f"{path} already exists; credentials signed with it would stop verifying if it "
                "were replaced. Use --force to replace it anyway."
            )
        try:
            issuer_key_write(path, key, overwrite=force)
        except FileExistsError as exc:
            raise CommandError(f"{path} appeared meanwhile; not replaced.") from exc
        issuer_key_reset()
        self.stdout.write(self.style.SUCCESS(f"Wrote the issuer key to {path} (mode 0600)."))
        self.stdout.write(f"kid: {kid}")
        if (getattr(settings, "CERTIFICATE_ISSUER_KEY", "") or "").strip():
            self.stderr.write(
                self.style.WARNING(
                    "CERTIFICATE_ISSUER_KEY is set and takes precedence over this file."
                )
            )
