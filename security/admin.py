"""The audit trail in the admin: read only, for the operator and (their agreements) coordinators."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from pitebra.admin_scoping import OperatorOnlyAdmin, ScopedModelAdmin
from pitebra.permissions import may_manage_identity_providers

from .models import AuditEvent, IdentityProvider

# django-otp's own admins list every user's devices and secrets. Coordinators reset second
# factors on the security pages (which ask `may_manage_account`); the operator also has the
# `reset_two_factor` command.
for device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device):
        admin.site.unregister(device)


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedModelAdmin):
    list_display = [
        "at",
        "username",
        "ip_address",
        "agreement_id",
        "action",
        "object_label",
        "imported_from",
    ]
    list_filter = ["action", "at", "imported_at"]
    search_fields = ["username", "object_id"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IdentityProviderForm(forms.ModelForm):
    new_client_secret = forms.CharField(
        label=_("New client secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the secret that is stored. It is never shown."),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "organisation",
            "name",
            "protocol",
            "enabled",
            "mfa_by_idp",
            "email_domains",
            "discovery_url",
            "issuer",
            "authorization_endpoint",
            "token_endpoint",
            "userinfo_endpoint",
            "jwks_uri",
            "end_session_endpoint",
            "client_id",
            "saml_metadata_url",
            "saml_metadata",
        ]

    def save(self, commit=True):
        if self.cleaned_data.get("new_client_secret"):
            self.instance.client_secret = self.cleaned_data["new_client_secret"]
        return super().save(commit)


@admin.register(IdentityProvider)
class IdentityProviderAdmin(OperatorOnlyAdmin):
    """The operator's alone (`may_manage_identity_providers`); the secret is write-only."""

    form = IdentityProviderForm
    list_display = ["name", "organisation", "protocol", "enabled", "mfa_by_idp"]
    list_filter = ["protocol", "enabled"]

    def _allowed(self, request):
        return may_manage_identity_providers(request.user)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)
