"""Plan import pages: upload a document, review the extracted plan beside its text, publish it."""

import datetime

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from plantrack.core.lists import paginate
from plantrack.core.text import vi_sort_key
from plantrack.orgs.models import Agency, AgencyGroup
from plantrack.plans.models import (
    AssignmentRole,
    Comparator,
    DutyKind,
    Recurrence,
    ReferenceKind,
    ReportingPeriod,
)
from plantrack.plans.rules import plan_data_problems

from . import PlanImportError, Problem
from .forms import DraftReviewForm, PlanUploadForm
from .models import JobState, PlanImportDraft, PlanImportJob
from .ocr import ocr_available
from .permissions import draft_get_for_user, require_plan_importer
from .readers import human_size, max_bytes
from .services import (
    DraftPublishError,
    plan_import_draft_delete,
    plan_import_draft_publish,
    plan_import_draft_update,
    plan_import_start,
)


def plan_import_upload(request):
    require_plan_importer(request.user)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            started = plan_import_start(actor=request.user, data=upload.read(), filename=upload.name)
        except PlanImportError as exc:
            form.add_error("file", str(exc))
        else:
            if isinstance(started, PlanImportJob):
                started.refresh_from_db()  # read already when OCR runs inline
                if started.state == JobState.FAILED:
                    form.add_error("file", started.message)
                elif started.draft_id:
                    started = started.draft
                else:
                    messages.info(
                        request,
                        _(
                            "Tệp “%(filename)s” là bản scan: đang nhận dạng chữ (OCR), mỗi trang mất vài giây. Trang này tự cập nhật; bản nháp hiện ra khi đọc xong."
                        )
                        % {"filename": started.filename},
                    )
                    return redirect("plan_import:import_upload")
            if isinstance(started, PlanImportDraft):
                messages.success(
                    request, _("Đã đọc văn bản. Hãy kiểm tra, sửa rồi bấm “Công bố” để tạo kế hoạch.")
                )
                return redirect("plan_import:import_review", pk=started.pk)
    drafts = paginate(
        request,
        PlanImportDraft.objects.for_user(request.user).select_related("created_by", "plan"),
        per_page=30,
    )
    jobs = list(
        PlanImportJob.objects.for_user(request.user)
        .select_related("created_by", "draft")
        .defer("content")
        .filter(
            Q(state__in=[JobState.QUEUED, JobState.RUNNING]) | Q(created_at__gte=timezone.now() - RECENT_JOBS)
        )[:20]
    )
    return render(
        request,
        "plans/importing/upload.html",
        {
            "form": form,
            "drafts": drafts.object_list,
            "page": drafts,
            "jobs": jobs,
            "jobs_pending": any(job.is_pending for job in jobs),
            "ocr_available": ocr_available(),
            "max_size": human_size(max_bytes()),
        },
    )


RECENT_JOBS = datetime.timedelta(days=2)


SECTIONS = [
    ("chung", _lazy("Thông tin chung")),
    ("chi-tieu", _lazy("Chỉ tiêu")),
    ("nhiem-vu", _lazy("Nhiệm vụ")),
    ("to-chuc", _lazy("Tổ chức thực hiện")),
]
TASKS_PER_PAGE = 40  # keeps one form well under Django's limit of 1000 fields per request


def _section_of(path: str) -> tuple[str, str, int]:
    """(section, anchor, task page) where the field at ``path`` is edited."""
    head, _, rest = path.partition(".")
    index = rest.split(".")[0] if rest else ""
    if head in ("tasks", "task_groups"):
        page = int(index) // TASKS_PER_PAGE + 1 if head == "tasks" and index.isdigit() else 1
        return "nhiem-vu", f"{'task' if head == 'tasks' else 'grp'}-{index}" if index else "tasks", page
    if head == "targets":
        return "chi-tieu", f"tgt-{index}", 1
    if head in ("reporting", "duties"):
        return "to-chuc", f"{'rep' if head == 'reporting' else 'duty'}-{index}", 1
    if head == "recipients":
        return "chung", f"rcp-{index}", 1
    return "chung", f"f-{head}", 1


def plan_import_review(request, pk: int):
    section = request.GET.get("phan", "chung")
    section = section if section in dict(SECTIONS) else "chung"
    try:
        page = max(1, int(request.GET.get("trang", "1")))
    except ValueError:
        page = 1
    if request.method == "POST":
        draft = draft_get_for_user(user=request.user, pk=pk, write=True)
        form = DraftReviewForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("__all__", []) + form.errors.get("action", []):
                messages.error(request, error)
            return redirect(
                f"{reverse('plan_import:import_review', args=[draft.pk])}?phan={section}&trang={page}"
            )
        action = form.cleaned_data["action"]
        if action == "delete":
            plan_import_draft_delete(actor=request.user, draft=draft)
            messages.success(request, _("Đã xóa bản nháp."))
            return redirect("plan_import:import_upload")
        draft = plan_import_draft_update(
            actor=request.user, draft=draft, form_data=form.cleaned_data["values"]
        )
        if action == "publish":
            try:
                plan = plan_import_draft_publish(actor=request.user, draft=draft)
            except DraftPublishError as exc:
                messages.error(
                    request, _("Chưa công bố được kế hoạch; chưa có gì được lưu vào danh sách kế hoạch.")
                )
                for message in exc.messages[:15]:
                    messages.error(request, message)
            else:
                messages.success(request, _("Đã công bố kế hoạch %(code)s.") % {"code": plan.code})
                return redirect("plans:detail", pk=plan.pk)
        else:
            messages.success(request, _("Đã lưu bản nháp."))
        return redirect(
            f"{reverse('plan_import:import_review', args=[draft.pk])}?phan={section}&trang={page}"
        )
    draft = draft_get_for_user(user=request.user, pk=pk)
    return render(request, "plans/importing/review.html", _review_context(draft, section, page))


def _review_context(draft: PlanImportDraft, section: str, page: int) -> dict:
    data = draft.data
    problems = plan_data_problems(data) if draft.is_draft else []
    by_path: dict[str, list] = {}
    base = reverse("plan_import:import_review", args=[draft.pk])
    for p in problems:
        by_path.setdefault(p.path, []).append(p)
        where, anchor, task_page = _section_of(p.path)
        p.link = f"{base}?phan={where}&trang={task_page}#{anchor}"
    locations = draft.locations or {}

    def at(path: str) -> list:
        return by_path.get(path, [])

    all_tasks = data.get("tasks", [])
    pages = max(1, (len(all_tasks) + TASKS_PER_PAGE - 1) // TASKS_PER_PAGE)
    page = min(page, pages)
    first = (page - 1) * TASKS_PER_PAGE
    tasks = []
    for i in range(first, min(len(all_tasks), first + TASKS_PER_PAGE)):
        task = all_tasks[i]
        path = f"tasks.{i}"
        rows = []
        for j, a in enumerate(task.get("assignments", [])):
            rows.append(
                {
                    "i": j,
                    "a": a,
                    "who": a.get("agency") or a.get("group") or "",
                    "prefix": f"task-{i}-a{j}",
                    "problems": at(f"{path}.assignments.{j}"),
                    "note": a.get("_note", ""),
                }
            )
        tasks.append(
            {
                "i": i,
                "t": task,
                "rows": rows,
                "new_prefix": f"task-{i}-a{len(rows)}",
                "prefix": f"task-{i}",
                "problems": at(path),
                "line": locations.get(path),
                "flag": bool(at(path)) or any(r["problems"] or r["note"] for r in rows),
            }
        )
    targets = [
        {
            "i": i,
            "t": t,
            "problems": at(f"targets.{i}"),
            "line": locations.get(f"targets.{i}"),
            "prefix": f"tgt-{i}",
            "measure": {
                "unit": t.get("unit") or "",
                "provider": "",
                "provider_unresolved": "",
                "method_note": "",
                **{k: v for k, v in ((data.get("measurement") or {}).get(t.get("code")) or {}).items() if v},
            },
            "parts": [
                {"j": j, "t": p, "problems": at(f"targets.{i}.parts.{j}"), "prefix": f"tgt-{i}-p{j}"}
                for j, p in enumerate(t.get("parts", []))
            ],
        }
        for i, t in enumerate(data.get("targets", []))
    ]
    counts = {"chi-tieu": len(targets), "nhiem-vu": len(all_tasks)}
    # Import notes that live checks do not repeat (inferred issuer, names matched approximately, …).
    notes = [Problem.from_dict(p) for p in draft.import_problems] if draft.is_draft else []
    notes = [p for p in notes if not p.is_error]
    for p in [*problems, *notes]:
        where, anchor, task_page = _section_of(p.path)
        p.link = f"{base}?phan={where}&trang={task_page}#{anchor}"
        # The source line the problem is about (its own path's, else its parent's: "tasks.3.assignments.0").
        parts = p.path.split(".")
        p.line = next(
            (
                locations[".".join(parts[:n])]
                for n in range(len(parts), 0, -1)
                if ".".join(parts[:n]) in locations
            ),
            None,
        )
    return {
        "draft": draft,
        "data": data,
        "section": section,
        "page": page,
        "pages": range(1, pages + 1),
        "sections": [(key, label, counts.get(key)) for key, label in SECTIONS],
        "tasks": tasks,
        "targets": targets,
        "errors": [p for p in problems if p.is_error],
        "warnings": [p for p in problems if not p.is_error],
        "notes": notes,
        "check_count": len(notes) + sum(not p.is_error for p in problems),
        "meta_problems": {k: at(k) for k in ("number", "issuer", "date", "title", "coordinator_agency")},
        "recipients": [
            {
                "i": i,
                "r": r,
                "who": r.get("agency") or r.get("group") or "",
                "problems": at(f"recipients.{i}"),
            }
            for i, r in enumerate(data.get("recipients", []))
        ],
        "reporting": [
            {"i": i, "r": r, "problems": at(f"reporting.{i}")}
            for i, r in enumerate(data.get("reporting", []))
        ],
        "duties": [
            {"i": i, "d": d, "problems": at(f"duties.{i}")} for i, d in enumerate(data.get("duties", []))
        ],
        "regimes": [
            {"i": i, "r": r, "due": f"{r.get('due_day', 0):02d}/{r.get('due_month', 0):02d}"}
            for i, r in enumerate(data.get("reporting_regimes") or [])
        ],
        "periods": ReportingPeriod.choices,
        "proposals": [
            {"i": i, "r": r, "refusal": r.get("_refusal", ""), "problems": at(f"proposed_agencies.{i}")}
            for i, r in enumerate(data.get("proposed_agencies") or [])
        ],
        "group_problems": {i: at(f"task_groups.{i}") for i in range(len(data.get("task_groups", [])))},
        "source": list(enumerate(draft.source_lines)),
        # The pick list offers the agencies that existed on the plan's date (all of them while it is unknown).
        "agency_names": sorted(
            set(_agencies_on(data.get("date")).values_list("name", flat=True)), key=vi_sort_key
        ),
        "group_names": sorted(AgencyGroup.objects.values_list("name", flat=True), key=vi_sort_key),
        "comparators": Comparator.choices,
        "recurrences": Recurrence.choices,
        "roles": AssignmentRole.choices,
        "reference_kinds": ReferenceKind.choices,
        "duty_kinds": [(k, v) for k, v in DutyKind.choices if k != "report"],
    }


def _agencies_on(iso_date):
    try:
        return Agency.objects.valid_on(datetime.date.fromisoformat(iso_date or ""))
    except ValueError:
        return Agency.objects.all()
