"""Create the key that signs Open Badges credentials (never commit it)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from certificates.credentials import (
    JWT_ALGORITHMS,
    issuer_key_append,
    issuer_key_generate,
    issuer_key_pem,
    issuer_key_reset,
    issuer_key_write,
    jwt_alg,
    key_id,
)


class Command(BaseCommand):
    help = (
        "Generate the Open Badges issuer key (RSA for RS256, Ed25519 for EdDSA; default: "
        "CERTIFICATE_JWT_ALG) into CERTIFICATE_ISSUER_KEY_FILE, add one to it with --add, or "
        "print it with --print for the CERTIFICATE_ISSUER_KEY environment variable."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--alg",
            choices=sorted(JWT_ALGORITHMS),
            help="Algorithm the key is for (default: the CERTIFICATE_JWT_ALG setting).",
        )
        parser.add_argument(
            "--print",
            action="store_true",
            dest="print_key",
            help="Print the private key (PEM) to standard output instead of writing the file.",
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--add",
            action="store_true",
            help="Add a key at the end of the existing file; the keys already there stay "
            "published, so what they signed keeps verifying (switching to RS256, rotation).",
        )
        mode.add_argument(
            "--force",
            action="store_true",
            help="Replace an existing key file; credentials signed with it stop verifying.",
        )

    def handle(self, *args, alg: str | None = None, print_key: bool = False, add: bool = False,
               force: bool = False, **options):
        alg = alg or jwt_alg()
        if print_key:
            key = issuer_key_generate(alg)
            # stdout carries only the PEM so that `VAR="$(manage.py ... --print)"` works.
            self.stdout.write(issuer_key_pem(key), ending="")
            self.stderr.write(f"kid: {key_id(key.thumbprint())}")
            return

        key_file = getattr(settings, "CERTIFICATE_ISSUER_KEY_FILE", None)
        if not key_file:
            raise CommandError("CERTIFICATE_ISSUER_KEY_FILE is not set; use --print instead.")
        path = Path(key_file)
        if add and path.exists():
            key = issuer_key_append(path, alg=alg, source=str(path), only_if_missing=False)
            issuer_key_reset()
            self.stdout.write(self.style.SUCCESS(f"Added a {alg} issuer key to {path}."))
        else:
            if path.exists() and not force:
                raise CommandError(
                    f"{path} already exists; credentials signed with it would stop verifying if "
                    "it were replaced. Use --add to add a key, or --force to replace it anyway."
                )
            key = issuer_key_generate(alg)
            try:
                issuer_key_write(path, key, overwrite=force)
            except FileExistsError as exc:
                raise CommandError(f"{path} appeared meanwhile; not replaced.") from exc
            issuer_key_reset()
            self.stdout.write(self.style.SUCCESS(f"Wrote the issuer key to {path} (mode 0600)."))
        self.stdout.write(f"kid: {key_id(key.thumbprint())}")
        if (getattr(settings, "CERTIFICATE_ISSUER_KEY", "") or "").strip():
            self.stderr.write(
                self.style.WARNING(
                    "CERTIFICATE_ISSUER_KEY is set and takes precedence over this file."
                )
            )
