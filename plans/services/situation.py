"""The joint situation picture's life: start, edit, two-party approval and new versions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pitebra import pagecache
from pitebra.copying import copied_links, copied_values, copy_row
from pitebra.models import Agreement, Organisation

from ..models import Approval, Cause, Problem, SituationPicture

PICTURE_TEXT_FIELDS = ["crime_extent", "crime_consequences", "other_information", "analysis"]
# A problem in a new version of the picture keeps everything but the picture it belongs to.
PROBLEM_M2M = copied_links(Problem)


class PictureLocked(Exception):
    """The picture is agreed (or superseded) and so read-only."""


def approval_party_for(*, agreement: Agreement, user) -> str | None:
    """Which party the user may approve for: police staff for the police, the agreement's
    municipality's staff for the municipality; None for anyone else."""
    organisation = user.organisation
    if organisation is None:
        return None
    if organisation.kind == Organisation.Kind.POLICE:
        return Approval.Party.POLICE
    if organisation.pk == agreement.municipality_id:
        return Approval.Party.MUNICIPALITY
    return None


def ensure_editable(picture: SituationPicture) -> None:
    if picture.is_agreed:
        raise PictureLocked
    newer = SituationPicture.objects.filter(
        agreement_id=picture.agreement_id, year=picture.year, version__gt=picture.version
    )
    if newer.exists():
        raise PictureLocked


def picture_start(*, agreement: Agreement, year: int, user) -> SituationPicture:
    """Version 1 of a year's picture (or the newest version if one exists)."""
    with transaction.atomic():
        existing = (
            SituationPicture.objects.filter(agreement=agreement, year=year)
            .order_by("-version")
            .first()
        )
        if existing:
            return existing
        # get_or_create: two members clicking "start" at once get the same picture.
        return SituationPicture.objects.get_or_create(
            agreement=agreement, year=year, version=1, defaults={"created_by": user}
        )[0]


def picture_changed(*, picture: SituationPicture) -> None:
    """An edit of a draft: approvals given to the earlier text no longer hold."""
    picture.approvals.all().delete()


def picture_approve(*, picture: SituationPicture, user) -> Approval:
    """Record the user's party's approval; the picture is agreed once both parties approved."""
    party = approval_party_for(agreement=picture.agreement, user=user)
    if party is None:
        raise PermissionDenied(
            _("Only staff of the police or of the municipality may approve the picture.")
        )
    with transaction.atomic():
        picture = SituationPicture.objects.select_for_update().get(pk=picture.pk)
        ensure_editable(picture)
        if picture.approvals.filter(party=party).exists():
            raise ValidationError(
                _("%(party)s has already approved this version.")
                % {"party": Approval.Party(party).label},
                code="already_approved",
            )
        try:
            with transaction.atomic():
                approval = Approval.objects.create(picture=picture, party=party, user=user)
        except IntegrityError as error:  # the same party approved a moment ago (no row lock)
            raise ValidationError(
                _("%(party)s has already approved this version.")
                % {"party": Approval.Party(party).label},
                code="already_approved",
            ) from error
        if picture.approvals.count() == len(Approval.Party):
            picture.agreed_at = timezone.now()
            picture.save(update_fields=["agreed_at", "updated_at"])
    return approval


def picture_new_version(*, picture: SituationPicture, user) -> SituationPicture:
    """Start the next version from an agreed one: text, problems, causes and evidence copied;
    the agreed version stays as it was and the new one needs both approvals again."""
    with transaction.atomic():
        picture = SituationPicture.objects.select_for_update().get(pk=picture.pk)
        if not picture.is_agreed:
            raise ValidationError(_("Only an agreed picture gets a new version."), code="draft")
        newest = (
            SituationPicture.objects.filter(agreement_id=picture.agreement_id, year=picture.year)
            .order_by("-version")
            .first()
        )
        if newest.pk != picture.pk:
            return newest
        new = SituationPicture.objects.create(
            agreement_id=picture.agreement_id,
            year=picture.year,
            version=picture.version + 1,
            created_by=user,
            **{field: getattr(picture, field) for field in PICTURE_TEXT_FIELDS},
        )
        for problem in picture.problems.prefetch_related("causes", *PROBLEM_M2M):
            copy = copy_row(problem, picture=new)
            Cause.objects.bulk_create(
                Cause(**copied_values(cause, problem=copy)) for cause in problem.causes.all()
            )
    pagecache.bump(new.agreement_id)  # bulk writes send no signal
    return new
