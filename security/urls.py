from django.urls import path

from .views import account, audit, manage, saml, sign_on

app_name = "security"

urlpatterns = [
    path("two-factor/", account.two_factor_settings, name="two-factor"),
    path("two-factor/verify/", account.two_factor_verify, name="two-factor-verify"),
    path("two-factor/backup-codes/", account.backup_codes, name="backup-codes"),
    path("my-data/", account.my_data, name="my-data"),
    path("logout-everywhere/", account.logout_everywhere, name="logout-everywhere"),
    path("working-group/", manage.working_group_security, name="working-group"),
    path("working-group/lift-lockout/", manage.lift_lockout, name="lift-lockout"),
    path(
        "working-group/users/<int:user_pk>/reset-two-factor/",
        manage.reset_two_factor,
        name="reset-two-factor",
    ),
    path(
        "working-group/users/<int:user_pk>/close/",
        manage.close_account,
        name="close-account",
    ),
    path(
        "working-group/agreements/<int:agreement_pk>/require-two-factor/",
        manage.require_two_factor,
        name="require-two-factor",
    ),
    path("working-group/agreements/<int:agreement_pk>/invite/", manage.invite, name="invite"),
    path("audit/", audit.audit_list, name="audit"),
    path("sign-on/<int:provider_pk>/", sign_on.start, name="sign-on-start"),
    path("sign-on/email/", sign_on.by_email, name="sign-on-email"),
    path("sign-on/test/", sign_on.providers_to_test, name="sign-on-test"),
    path("sign-on/<int:provider_pk>/test/", sign_on.test_start, name="sign-on-test-start"),
    path("sign-on/oidc/callback/", sign_on.oidc_callback, name="oidc-callback"),
    path("sign-on/saml/metadata/", saml.saml_metadata, name="saml-metadata"),
    path("sign-on/saml/acs/", saml.saml_acs, name="saml-acs"),
    path("sign-on/saml/logout/", saml.saml_single_logout, name="saml-sls"),
]
