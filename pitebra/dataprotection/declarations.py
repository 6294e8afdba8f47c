"""What every model holds: its record type, its personal-data fields, the legal basis and how
long it is kept. A system check (`checks.py`) fails for an installed model without one, so a
model added later cannot be forgotten. The texts are Swedish: they are the register of
processing (registerförteckning, GDPR art. 30) that the municipality signs."""

from dataclasses import dataclass, field

from django.apps import apps

# Retention classes.
PUBLIC_RECORD = "public_record"  # bevaras: an allmän handling the archive keeps
THINNED = "thinned"  # gallras after `years` under `decision`
WHILE_ACTIVE = "while_active"  # kept while the person is active, then closed (close_account)

# Legal bases (GDPR art. 6.1).
PUBLIC_TASK = (
    "Uppgift av allmänt intresse och myndighetsutövning (art. 6.1 e), kommunallagen och polislagen"
)
LEGAL_OBLIGATION = (
    "Rättslig förpliktelse (art. 6.1 c): arkivlagen och offentlighets- och sekretesslagen"
)
SECURITY = "Uppgift av allmänt intresse (art. 6.1 e): informationssäkerhet (art. 32)"
NO_PERSONAL_DATA = "Inga personuppgifter"

# The installation's thinning decisions (gallringsbeslut), by name.
DECISIONS = {
    "GB-2026:1": "Gallringsbeslut för PiteBra: säkerhetsloggar och inloggningsuppgifter",
    "GB-2026:2": "Gallringsbeslut för PiteBra: arbetsmaterial och utkast",
}


@dataclass(frozen=True)
class Declaration:
    record_type: str
    personal_fields: tuple = ()
    legal_basis: str = NO_PERSONAL_DATA
    retention: str = PUBLIC_RECORD
    years: int | None = None
    decision: str = ""
    purpose: str = ""
    # The field holding a row's age, for thinning.
    dated_by: str = ""
    # Text fields that name accounts by username among other words ("account kommun"): closing
    # an account replaces its username there as a word, elsewhere only as a whole value.
    account_fields: tuple = ()
    # Only the rows matching these lookups are ever thinned (drafts, not published reports).
    thinned_only: tuple = ()
    # On PostgreSQL, a database function that thins the table and logs it itself (a table the
    # app's own role may not delete from).
    thinning_function: str = ""
    notes: str = field(default="", compare=False)

    @property
    def has_personal_data(self):
        return bool(self.personal_fields)

    def retention_text(self):
        if self.retention == PUBLIC_RECORD:
            return "Bevaras (allmän handling)"
        if self.retention == WHILE_ACTIVE:
            return "Så länge personen är aktiv; pseudonymiseras när kontot avslutas"
        return f"Gallras efter {self.years} år enligt {self.decision} ({DECISIONS[self.decision]})"


def _plan(record_type, *personal, purpose="Planering och uppföljning av brottsförebyggande arbete"):
    return Declaration(
        record_type,
        tuple(personal),
        PUBLIC_TASK if personal else NO_PERSONAL_DATA,
        PUBLIC_RECORD,
        purpose=purpose,
    )


def _thinned(
    record_type,
    *personal,
    years,
    decision,
    dated_by,
    basis=SECURITY,
    purpose="",
    account_fields=(),
    thinned_only=(),
    thinning_function="",
):
    return Declaration(
        record_type,
        tuple(personal),
        basis if personal else NO_PERSONAL_DATA,
        THINNED,
        years=years,
        decision=decision,
        dated_by=dated_by,
        purpose=purpose,
        account_fields=account_fields,
        thinned_only=thinned_only,
        thinning_function=thinning_function,
    )


def _none(record_type, purpose="Teknisk drift"):
    return Declaration(record_type, (), NO_PERSONAL_DATA, PUBLIC_RECORD, purpose=purpose)


LOGIN = "Inloggning och skydd mot intrång"
DECLARATIONS = {
    # Django and third-party models the project stores.
    "admin.LogEntry": _thinned(
        "Administrationslogg",
        "user",
        "object_repr",
        "change_message",
        years=2,
        decision="GB-2026:1",
        dated_by="action_time",
        purpose="Spårbarhet i administrationen",
        account_fields=("object_repr", "change_message"),
    ),
    "auth.Permission": _none("Behörighetsdefinition"),
    "auth.Group": _none("Behörighetsgrupp"),
    "contenttypes.ContentType": _none("Modellregister"),
    "sessions.Session": _thinned(
        "Inloggningssession",
        "session_data",
        years=0,
        decision="GB-2026:1",
        dated_by="expire_date",
        purpose=LOGIN,
    ),
    "django_tasks_database.DBTaskResult": _thinned(
        "Bakgrundsjobb",
        "args_kwargs",
        years=1,
        decision="GB-2026:2",
        dated_by="enqueued_at",
        basis=PUBLIC_TASK,
        purpose="Rapporter och påminnelser i bakgrunden",
    ),
    "axes.AccessAttempt": _thinned(
        "Misslyckade inloggningsförsök",
        "username",
        "ip_address",
        "user_agent",
        years=1,
        decision="GB-2026:1",
        dated_by="attempt_time",
        purpose=LOGIN,
    ),
    "axes.AccessFailureLog": _thinned(
        "Logg över misslyckade inloggningar",
        "username",
        "ip_address",
        "user_agent",
        years=1,
        decision="GB-2026:1",
        dated_by="attempt_time",
        purpose=LOGIN,
    ),
    "axes.AccessLog": _thinned(
        "Inloggningslogg",
        "username",
        "ip_address",
        "user_agent",
        years=1,
        decision="GB-2026:1",
        dated_by="attempt_time",
        purpose=LOGIN,
    ),
    "axes.AccessAttemptExpiration": _none("Utgångstid för spärr", LOGIN),
    "otp_totp.TOTPDevice": Declaration(
        "Tvåfaktorsenhet (app)", ("user", "name"), SECURITY, WHILE_ACTIVE, purpose=LOGIN
    ),
    "otp_static.StaticDevice": Declaration(
        "Reservkoder", ("user", "name"), SECURITY, WHILE_ACTIVE, purpose=LOGIN
    ),
    "otp_static.StaticToken": Declaration(
        "Reservkod", ("device",), SECURITY, WHILE_ACTIVE, purpose=LOGIN
    ),
    # Passkeys (django-otp-webauthn).
    "django_otp_webauthn.WebAuthnCredential": Declaration(
        "Lösennyckel", ("user", "name"), SECURITY, WHILE_ACTIVE, purpose=LOGIN
    ),
    "django_otp_webauthn.WebAuthnAttestation": Declaration(
        "Lösennyckelns intyg", ("credential",), SECURITY, WHILE_ACTIVE, purpose=LOGIN
    ),
    "django_otp_webauthn.WebAuthnUserHandle": Declaration(
        "Lösennyckelns användar-id", ("user",), SECURITY, WHILE_ACTIVE, purpose=LOGIN
    ),
    # The core.
    "pitebra.Organisation": _plan("Organisation"),
    "pitebra.User": Declaration(
        "Användarkonto",
        ("username", "first_name", "last_name", "email", "phone", "organisation"),
        PUBLIC_TASK,
        WHILE_ACTIVE,
        purpose="Inloggning, ansvar och kontakt i arbetsgruppen",
    ),
    "pitebra.Agreement": _plan("Samverkansöverenskommelse", "signatories"),
    "pitebra.PriorityArea": _plan("Prioriterat område"),
    "pitebra.Membership": Declaration(
        "Medlemskap i arbetsgrupp",
        ("user",),
        PUBLIC_TASK,
        WHILE_ACTIVE,
        purpose="Vem som får läsa och ändra en överenskommelse",
    ),
    "pitebra.StepStatus": _plan("Stegets status"),
    "pitebra.DataVersion": _none("Cacheversion"),
    "pitebra.Municipality": _none(
        "Kommunregister (SCB)", purpose="Referensdata om Sveriges kommuner"
    ),
    "pitebra.PoliceRegion": _none("Polisregioner", purpose="Referensdata om polisens indelning"),
    "pitebra.LocalPoliceArea": _none(
        "Lokalpolisområden", purpose="Referensdata om polisens indelning"
    ),
    "pitebra.Erasure": Declaration(
        "Logg över avslutade konton",
        ("pseudonym", "fingerprints"),
        LEGAL_OBLIGATION,
        PUBLIC_RECORD,
        purpose="Att en återläst säkerhetskopia inte återställer en raderad person",
    ),
    "pitebra.ThinningLog": _plan(
        "Gallringslogg", purpose="Redovisning av gallring enligt arkivlagen"
    ),
    # Step 1: facts.
    "plans.Source": _plan("Källa"),
    "plans.Indicator": _plan("Indikator"),
    "plans.Observation": _plan("Mätvärde"),
    "plans.Document": _plan("Dokument", "uploaded_by"),
    "plans.ImportChoice": _plan("Sparat val vid import", "text"),
    "plans.ImportJob": _thinned(
        "Planimport i kö (filen tills den är importerad)",
        "requested_by",
        "data",
        years=1,
        decision="GB-2026:2",
        dated_by="requested_at",
        basis=PUBLIC_TASK,
        purpose="Import av genomförandeplaner i bakgrunden",
    ),
    # Step 2: the situation picture.
    "plans.SituationPicture": _plan("Gemensam lägesbild", "created_by"),
    "plans.Approval": _plan("Godkännande av lägesbild", "user"),
    "plans.Place": _plan("Plats"),
    "plans.Problem": _plan("Problem"),
    "plans.Cause": _plan("Trolig orsak"),
    # Step 3: the plan, and its history.
    "plans.ImplementationPlan": _plan("Genomförandeplan", "adopted_by"),
    "plans.Goal": _plan("Mål"),
    "plans.Strategy": _plan("Strategi"),
    "plans.Activity": _plan("Aktivitet", "contact_user", "contact_name"),
    "plans.CitizenPromise": _plan("Medborgarlöfte"),
    # The annual wheel.
    "plans.RiskPeriod": _plan("Riskperiod"),
    "plans.RiskPeriodDates": _plan("Riskperiodens datum"),
    "plans.HistoricalActivity_partners": _plan("Historik: aktivitetens partner"),
    "plans.HistoricalActivity_causes": _plan("Historik: aktivitetens orsaker"),
    "plans.HistoricalActivity_problems": _plan("Historik: aktivitetens problem"),
    "plans.HistoricalActivity_indicators": _plan("Historik: aktivitetens indikatorer"),
    # Steps 4 and 5.
    "followup.CouncilSurvey": _plan("Rådets självutvärdering"),
    "followup.CouncilQuestion": _plan("Fråga i självutvärdering"),
    "followup.CouncilAnswer": _plan("Svar i självutvärdering", "respondent", "comment"),
    "followup.Meeting": _plan("Möte", "attendees", "other_attendees", "minutes", "created_by"),
    "followup.Decision": _plan("Mötesbeslut"),
    "followup.YearEndReport": _plan("Årsrapport (utkast)"),
    "followup.PublishedReport": _plan("Publicerad årsrapport", "published_by"),
    "followup.ReportRendering": _thinned(
        "Rapportutkast (PDF i kö)",
        "requested_by",
        years=1,
        decision="GB-2026:2",
        dated_by="requested_at",
        basis=PUBLIC_TASK,
        purpose="Förhandsvisning av rapporter",
        thinned_only=(("kind", "draft"),),
    ),
    "followup.LogEntry": _plan("Logg över utfört arbete", "created_by", "note"),
    "plans.StatusUpdate": _plan("Statusändring", "created_by"),
    "followup.Evaluation": _plan("Utvärdering", "updated_by"),
    "followup.Debrief": _plan("Erfarenhetsåterföring", "created_by"),
    # Sign-in through the organisations' own identity providers.
    "security.IdentityProvider": _none("Inloggningstjänst", LOGIN),
    "security.ExternalAccount": Declaration(
        "Kopplat konto hos inloggningstjänst",
        ("user", "subject"),
        SECURITY,
        WHILE_ACTIVE,
        purpose=LOGIN,
    ),
    "security.Invitation": Declaration(
        "Inbjudan", ("user", "invited_by"), SECURITY, WHILE_ACTIVE, purpose=LOGIN
    ),
    "security.IdentityProviderDevice": Declaration(
        "Andra faktor hos inloggningstjänst",
        ("user", "name"),
        SECURITY,
        WHILE_ACTIVE,
        purpose=LOGIN,
    ),
    # The audit trail.
    "security.AuditEvent": _thinned(
        "Granskningslogg",
        "user",
        "username",
        "ip_address",
        years=2,  # as PITEBRA_AUDIT_RETENTION_DAYS' default (730 days)
        decision="GB-2026:1",
        dated_by="at",
        purpose="Spårbarhet: vem gjorde vad och när",
        account_fields=("summary",),
        thinning_function="pitebra_thin_audit",  # security/migrations/0002
    ),
}


def declaration_for(model):
    """The model's declaration; a history model (django-simple-history) inherits its
    original's, with who made the change as personal data. None when there is none."""
    found = DECLARATIONS.get(model._meta.label)
    if found is not None:
        return found
    original = getattr(model, "instance_type", None)
    if original is not None and original._meta.label in DECLARATIONS:
        base = DECLARATIONS[original._meta.label]
        return Declaration(
            f"Historik: {base.record_type.lower()}",
            (*base.personal_fields, "history_user"),
            base.legal_basis if base.personal_fields else PUBLIC_TASK,
            base.retention,
            base.years,
            base.decision,
            base.purpose,
            base.dated_by,
        )
    return None


def declared_models():
    """[(model, declaration)] for every installed model, in the registry's order."""
    return [(model, declaration_for(model)) for model in apps.get_models()]
