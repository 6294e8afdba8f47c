"""Register an organisation's identity provider (OpenID Connect or SAML)."""

from pathlib import Path

import requests
from django.core.management.base import BaseCommand, CommandError

from pitebra.models import Organisation

from ...models import IdentityProvider
from ...oidc import TIMEOUT, discover


class Command(BaseCommand):
    help = (
        "Register an organisation's identity provider: OpenID Connect from its discovery URL "
        "with a client ID and secret, or SAML from its metadata (URL or file)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", type=int, required=True, help="organisation id")
        parser.add_argument("--name", required=True, help="shown as 'Logga in med NAME'")
        kind = parser.add_mutually_exclusive_group(required=True)
        kind.add_argument("--oidc-discovery", metavar="URL")
        kind.add_argument("--saml-metadata", metavar="URL_OR_FILE")
        parser.add_argument("--client-id", default="")
        parser.add_argument("--client-secret", default="")
        parser.add_argument("--mfa-by-idp", action="store_true")
        parser.add_argument("--email-domains", default="", help="e.g. pitea.se,polisen.se")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(pk=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with id {options['organisation']}.")
        if IdentityProvider.objects.filter(name=options["name"]).exists():
            raise CommandError(f"A provider named {options['name']!r} exists already.")
        provider = IdentityProvider(
            organisation=organisation,
            name=options["name"],
            mfa_by_idp=options["mfa_by_idp"],
            email_domains=options["email_domains"],
        )
        if options["oidc_discovery"]:
            if not (options["client_id"] and options["client_secret"]):
                raise CommandError("OpenID Connect needs --client-id and --client-secret.")
            try:
                endpoints = discover(options["oidc_discovery"])
            except (requests.RequestException, KeyError, ValueError) as error:
                raise CommandError(f"The discovery document could not be read: {error}") from None
            provider.protocol = IdentityProvider.Protocol.OIDC
            provider.discovery_url = options["oidc_discovery"]
            provider.client_id = options["client_id"]
            provider.client_secret = options["client_secret"]
            for field, value in endpoints.items():
                setattr(provider, field, value)
        else:
            source = options["saml_metadata"]
            provider.protocol = IdentityProvider.Protocol.SAML
            provider.saml_metadata_url = source
            provider.saml_metadata = _read_metadata(source)
        provider.full_clean()
        provider.save()
        # Never the secret.
        self.stdout.write(
            f"Registered {provider.get_protocol_display()} provider {provider.name!r} "
            f"(id {provider.pk}) for {organisation}."
        )


def _read_metadata(source):
    try:
        if source.startswith(("http://", "https://")):
            response = requests.get(source, timeout=TIMEOUT)
            response.raise_for_status()
            text = response.text
        else:
            text = Path(source).read_text(encoding="utf-8")
    except (OSError, requests.RequestException) as error:
        raise CommandError(f"The SAML metadata could not be read: {error}") from None
    if "EntityDescriptor" not in text:
        raise CommandError("That is not SAML metadata (no EntityDescriptor).")
    return text
