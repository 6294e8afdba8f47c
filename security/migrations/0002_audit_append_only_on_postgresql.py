"""On PostgreSQL the audit table refuses UPDATE and DELETE, whoever asks, with two exceptions
the app announces inside its own transaction: closing an account (`pitebra.erasure`, which
replaces the person's name by a pseudonym) and thinning by age through
`pitebra_thin_audit()`, which logs what it removed in the thinning log itself."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION security_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('pitebra.thinning', true) = 'on' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND current_setting('pitebra.erasure', true) = 'on' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The audit trail is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS security_auditevent_append_only ON security_auditevent;
CREATE TRIGGER security_auditevent_append_only
    BEFORE UPDATE OR DELETE ON security_auditevent
    FOR EACH ROW EXECUTE FUNCTION security_auditevent_append_only();

CREATE OR REPLACE FUNCTION pitebra_thin_audit(cutoff timestamptz, decision text)
RETURNS integer AS $$
DECLARE
    removed integer;
BEGIN
    PERFORM set_config('pitebra.thinning', 'on', true);
    DELETE FROM security_auditevent WHERE "at" < cutoff;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('pitebra.thinning', 'off', true);
    IF removed > 0 THEN
        INSERT INTO pitebra_thinninglog ("at", "model", "count", "cutoff", "decision")
        VALUES (now(), 'security.AuditEvent', removed, cutoff, decision);
    END IF;
    RETURN removed;
END
$$ LANGUAGE plpgsql;
"""

DROP = """
DROP TRIGGER IF EXISTS security_auditevent_append_only ON security_auditevent;
DROP FUNCTION IF EXISTS security_auditevent_append_only();
DROP FUNCTION IF EXISTS pitebra_thin_audit(timestamptz, text);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0001_audit_event"),
        ("pitebra", "0008_data_protection_phone_erasure_thinning"),
    ]

    operations = [migrations.RunPython(create, drop)]
