"""Writes of inspection: ``entity_action(*, actor, …)``, atomic, each checking its rule and recording who did it.

Recommendation states (docs/design/inspection.md): open → responded → closed; responded or closed → open again
(reopened with a comment). Every transition appends a ``RecommendationEvent``; issuing one notifies the agency.
"""

import datetime
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plantrack.accounts.models import AGENCY_ROLES, Role
from plantrack.accounts.permissions import is_coordinator_of, is_member_of, role_holders
from plantrack.notifications.services import notify
from plantrack.reporting.uploads import UploadRejected, check_evidence_file
from plantrack.security.models import SecurityAction
from plantrack.security.services import security_event_record

from .models import (
    InspectionPlan,
    Recommendation,
    RecommendationAction,
    RecommendationEvent,
    RecommendationState,
    ResponseEvidence,
    Visit,
)


class InspectionError(Exception):
    """A refused write; the message says why, in the user's words."""


INSPECTION_FIELDS = ("year", "title", "number", "document_date", "scope", "team_lead", "team_members")
VISIT_FIELDS = ("agency", "start_date", "end_date", "findings")


def _require_manager(actor, plan) -> None:
    if not is_coordinator_of(actor, plan):
        raise InspectionError(
            _("Chỉ cán bộ điều phối của cơ quan theo dõi kế hoạch mới được thực hiện việc này.")
        )


def _checked(upload):
    try:
        checked = check_evidence_file(upload)
    except UploadRejected as exc:
        raise InspectionError(str(exc)) from exc
    upload.seek(0)
    return checked


# --- Inspection plans -----------------------------------------------------------------------------------------


@transaction.atomic
def inspection_plan_create(
    *, actor, plan, agencies: Iterable, is_demo: bool = False, **values
) -> InspectionPlan:
    _require_manager(actor, plan)
    unknown = set(values) - set(INSPECTION_FIELDS)
    if unknown:
        raise InspectionError(_("Trường không hợp lệ: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    agencies = list(agencies)
    if not agencies:
        raise InspectionError(_("Chọn ít nhất một cơ quan, đơn vị được kiểm tra."))
    if not (values.get("title") or "").strip():
        raise InspectionError(_("Nhập tên kế hoạch kiểm tra."))
    inspection = InspectionPlan(plan=plan, created_by=actor, is_demo=is_demo, **values)
    inspection._history_user = actor
    inspection._change_reason = _("Lập kế hoạch kiểm tra")
    inspection.save()
    inspection.agencies.set(agencies)
    return inspection


@transaction.atomic
def inspection_plan_update(
    *, actor, inspection: InspectionPlan, agencies: Iterable, **values
) -> InspectionPlan:
    _require_manager(actor, inspection.plan)
    unknown = set(values) - set(INSPECTION_FIELDS)
    if unknown:
        raise InspectionError(_("Trường không hợp lệ: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    agencies = list(agencies)
    visited = set(inspection.visits.values_list("agency_id", flat=True))
    dropped = visited - {a.pk for a in agencies}
    if dropped:
        raise InspectionError(_("Không thể bỏ đơn vị đã có đợt kiểm tra khỏi kế hoạch kiểm tra."))
    if not agencies:
        raise InspectionError(_("Chọn ít nhất một cơ quan, đơn vị được kiểm tra."))
    for name, value in values.items():
        setattr(inspection, name, value.strip() if isinstance(value, str) else value)
    inspection._history_user = actor
    inspection._change_reason = _("Sửa kế hoạch kiểm tra")
    inspection.save()
    inspection.agencies.set(agencies)
    return inspection


# --- Visits ---------------------------------------------------------------------------------------------------


def _visit_rules(
    inspection: InspectionPlan, agency, start_date: datetime.date, end_date: datetime.date
) -> None:
    if not inspection.agencies.filter(pk=agency.pk).exists():
        raise InspectionError(_("Đơn vị này không có trong kế hoạch kiểm tra."))
    if end_date < start_date:
        raise InspectionError(_("Ngày kết thúc đợt kiểm tra phải sau hoặc trùng ngày bắt đầu."))


def _store_minutes(visit: Visit, upload) -> None:
    checked = _checked(upload)
    visit.minutes_name = (getattr(upload, "name", "") or "bien-ban")[-255:]
    visit.minutes_content_type = checked.content_type
    visit.minutes_sha256 = checked.sha256
    visit.minutes.save(f"x{checked.extension}", ContentFile(upload.read()), save=False)


@transaction.atomic
def visit_create(*, actor, inspection: InspectionPlan, minutes=None, **values) -> Visit:
    _require_manager(actor, inspection.plan)
    _visit_rules(inspection, values["agency"], values["start_date"], values["end_date"])
    visit = Visit(
        inspection=inspection, created_by=actor, **{k: values[k] for k in VISIT_FIELDS if k in values}
    )
    if minutes is not None:
        _store_minutes(visit, minutes)
    visit._history_user = actor
    visit._change_reason = _("Ghi đợt kiểm tra")
    visit.save()
    return visit


@transaction.atomic
def visit_update(*, actor, visit: Visit, minutes=None, **values) -> Visit:
    _require_manager(actor, visit.inspection.plan)
    agency = values.get("agency", visit.agency)
    if agency.pk != visit.agency_id and visit.recommendations.exists():
        raise InspectionError(_("Đợt kiểm tra đã có kiến nghị: không đổi được đơn vị được kiểm tra."))
    _visit_rules(
        visit.inspection,
        agency,
        values.get("start_date", visit.start_date),
        values.get("end_date", visit.end_date),
    )
    for name in VISIT_FIELDS:
        if name in values:
            setattr(visit, name, values[name])
    if minutes is not None:
        _store_minutes(visit, minutes)
    visit._history_user = actor
    visit._change_reason = _("Sửa đợt kiểm tra")
    visit.save()
    return visit


# --- Recommendations ------------------------------------------------------------------------------------------


def _event(recommendation: Recommendation, action: str, actor, comment: str = "", at=None) -> None:
    RecommendationEvent.objects.create(
        recommendation=recommendation, action=action, actor=actor, comment=comment, at=at or timezone.now()
    )


def _agency_people(agency_id: int):
    return role_holders(AGENCY_ROLES, agency_id)


@transaction.atomic
def recommendation_issue(
    *, actor, visit: Visit, text: str, deadline: datetime.date, is_demo: bool = False, now=None
) -> Recommendation:
    """A recommendation to the visited agency; its reporters and heads are notified (mail on commit)."""
    _require_manager(actor, visit.inspection.plan)
    text = (text or "").strip()
    if not text:
        raise InspectionError(_("Nhập nội dung kiến nghị."))
    if deadline < visit.start_date:
        raise InspectionError(_("Thời hạn khắc phục không thể trước ngày kiểm tra."))
    now = now or timezone.now()
    recommendation = Recommendation.objects.create(
        visit=visit, text=text, deadline=deadline, issued_by=actor, issued_on=timezone.localdate(now)
    )
    _event(recommendation, RecommendationAction.ISSUED, actor, at=now)
    notify(
        recipients=_agency_people(visit.agency_id),
        subject=_("Kiến nghị sau kiểm tra: hạn khắc phục %(d)s") % {"d": deadline.strftime("%d/%m/%Y")},
        body=_(
            "%(dept)s đã ghi kiến nghị sau đợt kiểm tra ngày %(day)s đối với %(agency)s:\n%(text)s\n"
            "Đề nghị đơn vị khắc phục và báo cáo kết quả, kèm minh chứng, trước ngày %(d)s."
        )
        % {
            "dept": visit.inspection.plan.coordinator_agency.name,
            "day": visit.start_date.strftime("%d/%m/%Y"),
            "agency": visit.agency.name,
            "text": text,
            "d": deadline.strftime("%d/%m/%Y"),
        },
        url=reverse("inspection:recommendation_detail", args=[recommendation.pk]),
        is_demo=is_demo,
    )
    return recommendation


@transaction.atomic
def recommendation_respond(
    *, actor, recommendation: Recommendation, text: str, files: Iterable = (), now=None, is_demo: bool = False
) -> Recommendation:
    """The agency's report on what it did, with evidence files (checked by content like report evidence)."""
    recommendation = (
        Recommendation.objects.select_for_update().select_related("visit").get(pk=recommendation.pk)
    )
    if not is_member_of(actor, recommendation.visit.agency_id):
        raise InspectionError(
            _("Chỉ chuyên viên hoặc lãnh đạo của đơn vị được kiểm tra mới báo cáo khắc phục.")
        )
    if recommendation.state != RecommendationState.OPEN:
        raise InspectionError(_("Kiến nghị này không ở trạng thái chờ khắc phục."))
    text = (text or "").strip()
    if not text:
        raise InspectionError(_("Nhập kết quả khắc phục."))
    stored = []
    try:
        for upload in files:
            checked = _checked(upload)
            evidence = ResponseEvidence(
                recommendation=recommendation,
                original_name=(getattr(upload, "name", "") or "tep")[-255:],
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=actor,
            )
            evidence.file.save(f"x{checked.extension}", ContentFile(upload.read()), save=False)
            stored.append(evidence.file.name)
            evidence.save()
        now = now or timezone.now()
        recommendation.response = text
        recommendation.responded_at = now
        recommendation.responded_by = actor
        recommendation.state = RecommendationState.RESPONDED
        recommendation.save(update_fields=["response", "responded_at", "responded_by", "state", "updated_at"])
        _event(recommendation, RecommendationAction.RESPONDED, actor, text, at=now)
    except Exception:
        for name in stored:  # no orphan file when the rows are not written
            ResponseEvidence.file.field.storage.delete(name)
        raise
    notify(
        recipients=_coordinators(recommendation),
        subject=_("%(agency)s đã báo cáo khắc phục kiến nghị sau kiểm tra")
        % {"agency": recommendation.visit.agency},
        body=text,
        url=reverse("inspection:recommendation_detail", args=[recommendation.pk]),
        is_demo=is_demo,
    )
    return recommendation


def _coordinators(recommendation: Recommendation):
    return role_holders(
        Role.COORDINATOR,
        recommendation.visit.inspection.plan.coordinator_agency_id,
        plan=recommendation.visit.inspection.plan,
    )


@transaction.atomic
def recommendation_close(
    *, actor, recommendation: Recommendation, comment: str = "", now=None
) -> Recommendation:
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    _require_manager(actor, recommendation.visit.inspection.plan)
    if recommendation.state == RecommendationState.CLOSED:
        raise InspectionError(_("Kiến nghị đã được đóng."))
    now = now or timezone.now()
    recommendation.state = RecommendationState.CLOSED
    recommendation.closed_at = now
    recommendation.closed_by = actor
    recommendation.save(update_fields=["state", "closed_at", "closed_by", "updated_at"])
    _event(recommendation, RecommendationAction.CLOSED, actor, (comment or "").strip(), at=now)
    return recommendation


@transaction.atomic
def recommendation_reopen(
    *, actor, recommendation: Recommendation, comment: str, deadline: datetime.date | None = None
) -> Recommendation:
    """Back to "waiting for the agency", with the department's comment (required) and possibly a new deadline."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    _require_manager(actor, recommendation.visit.inspection.plan)
    if recommendation.state == RecommendationState.OPEN:
        raise InspectionError(_("Kiến nghị đang chờ khắc phục, không cần mở lại."))
    comment = (comment or "").strip()
    if not comment:
        raise InspectionError(_("Ghi rõ lý do mở lại kiến nghị."))
    recommendation.state = RecommendationState.OPEN
    recommendation.closed_at = None
    recommendation.closed_by = None
    if deadline is not None:
        recommendation.deadline = deadline
    recommendation.save(update_fields=["state", "closed_at", "closed_by", "deadline", "updated_at"])
    _event(recommendation, RecommendationAction.REOPENED, actor, comment)
    notify(
        recipients=_agency_people(recommendation.visit.agency_id),
        subject=_("Kiến nghị sau kiểm tra được mở lại: hạn %(d)s")
        % {"d": recommendation.deadline.strftime("%d/%m/%Y")},
        body=comment,
        url=reverse("inspection:recommendation_detail", args=[recommendation.pk]),
    )
    return recommendation


def stored_file_open(*, actor, name: str, file, target: str, request=None):
    """Open a stored minutes or evidence file for ``actor`` (already allowed to see it), logged as an export."""
    security_event_record(
        actor=actor, action=SecurityAction.EXPORT, request=request, target=target, detail={"file": name}
    )
    return file.open("rb")
