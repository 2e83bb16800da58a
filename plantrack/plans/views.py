"""The plan page and the assignment matrix."""

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from plantrack.core.lists import export_format, table_export
from plantrack.core.page_cache import cached_body, page_with_body
from plantrack.core.versions import ORGS_KEY, plan_key, plan_reports_key, tokens

from .amendments import plan_amendment_history
from .models import Assignment, AssignmentRole, Task
from .permissions import plan_get_for_user
from .responsibility import PlanResponsibility
from .selectors import plan_assignment_matrix

# What apps above plans add to the plan page (plans imports none of them): each hook is called as
# ``hook(request=…, plan=…, tasks=[…])``, may set attributes on the tasks for ``plans/_task.html`` and returns
# extra context. Reporting registers the task timeliness badges (reporting.timeliness.plan_page_hook).
# The page body is cached (``plan_detail``): a hook must carry ``hook.vary(request=…, plan=…)``, a repr-able value
# that tells apart every two users the hook would show different things, and whatever else it reads must move one
# of the versions in the key ("plan:", "plan-reports:", "orgs"); a hook without ``vary`` turns the cache off.
PLAN_PAGE_HOOKS: list = []


def _letter_blocks(tasks: list[Task], nodes: dict[str, object]) -> list[dict]:
    """Tasks of one group laid out as the plan writes them: a lettered item ("b) Sở KH&CN chủ trì …") holding
    bullet tasks, or a lettered item that is itself one task ("c) Sở Tài chính phối hợp …")."""
    blocks: list[dict] = []
    for task in tasks:
        parts = task.code.split(".")
        letter_code = ".".join(parts[:3])
        node = nodes.get(letter_code) if len(parts) > 3 else None
        if node is not None:
            if blocks and blocks[-1].get("node") is node:
                blocks[-1]["tasks"].append(task)
            else:
                blocks.append({"node": node, "tasks": [task]})
        else:
            label = f"{parts[2]})" if len(parts) > 2 else ""
            blocks.append({"task": task, "label": label})
    return blocks


def _assignee_html(a: Assignment, urls: dict[int, str]) -> SafeString:
    """One assignee of a task, as ``plans/_assignee.html`` renders it: built in Python because a plan page has
    hundreds of them (an include each cost a quarter of the page). ``urls`` memoises agency links."""

    def agency_url(agency_id: int) -> str:
        if agency_id not in urls:
            urls[agency_id] = reverse("orgs:detail", args=[agency_id])
        return urls[agency_id]

    if a.agency_id:
        title = ""
        if a.as_written and a.as_written != a.agency.name:
            title = format_html(' title="{}: {}"', _("Văn bản ghi"), a.as_written)
        now = ""
        if a.now is not None and a.now.changed:
            parts = [format_html('<a href="{}">{}</a>', agency_url(ag.pk), ag.name) for ag in a.now.agencies]
            names = format_html_join(", ", "{}", ((n,) for n in a.now.group_names))
            who = mark_safe(", ".join(parts))  # noqa: S308 (each part built by format_html)
            if parts and a.now.group_names:
                who = format_html("{}, {}", who, names)
            elif a.now.group_names:
                who = names
            elif not parts:
                who = _("đã giải thể")
            now = format_html('<span class="assignee-now"> — {}: {}</span>', _("nay"), who)
        return format_html(
            '<span class="assignee-item"><a class="assignee" href="{}"{}>{}</a>{}</span>',
            agency_url(a.agency_id),
            title,
            a.agency.name,
            now,
        )
    if a.group_id and not a.related_only:
        title = _("Nhóm cơ quan: giao cho từng thành viên")
        if a.as_written != a.group.name:
            title = format_html("{} — {}: {}", title, _("Văn bản ghi"), a.as_written)
        return format_html(
            '<a class="assignee assignee-group" href="{}?nhom={}" title="{}"><span class="tag">{}</span> {}</a>',
            urls.setdefault("list", reverse("orgs:list")),
            a.group.code,
            title,
            _("Nhóm"),
            a.group.name,
        )
    return format_html(
        '<span class="assignee assignee-general" title="{}">{}</span>',
        _("Giao chung, không nêu đích danh cơ quan"),
        a.as_written or a.display_name,
    )


def _plan_page_varies(request, plan) -> tuple | None:
    """What each hook of the plan page varies on for this user (deadline badges, the coordinator's link); None when
    a hook cannot say, and then the page is not cached."""
    varies = []
    for hook in PLAN_PAGE_HOOKS:
        vary = getattr(hook, "vary", None)
        if vary is None:
            return None
        varies.append(vary(request=request, plan=plan))
    return tuple(varies)


def plan_detail(request, pk: int):
    """The plan as written (and amended). Its body is the same for everyone who may see the plan and whose hooks
    vary the same way, so it is rendered once per version of the plan, its reports (the deadline badges) and the
    agencies ("nay: …"), per day (who answers today) and kept in the cache (``core.page_cache``)."""
    plan = plan_get_for_user(user=request.user, pk=pk)
    varies = _plan_page_varies(request, plan)

    def render_body():
        # Rendered without the request: no context processor, so nothing of the user can land in the cached body.
        return render_to_string("plans/_plan_body.html", _plan_body_context(request, plan))

    if varies is None:
        body = render_body().encode()
    else:
        body, _hit = cached_body(
            "plan",
            versions=tokens(plan_key(plan.pk), plan_reports_key(plan.pk), ORGS_KEY),
            parts=(plan.pk, timezone.localdate().isoformat(), varies),
            render=render_body,
        )
    return page_with_body(request, "plans/plan_detail.html", {"plan": plan}, body)


def _plan_body_context(request, plan) -> dict:
    assignments = Assignment.objects.select_related("agency", "group").order_by("order", "pk")
    tasks = (
        Task.objects.order_by("order")
        .select_related("cancelled_by")
        .prefetch_related(Prefetch("assignments", queryset=assignments))
    )
    task_groups = list(plan.task_groups.prefetch_related(Prefetch("tasks", queryset=tasks)))
    outline = list(plan.outline.all())
    nodes = {n.code: n for n in outline}
    targets = list(plan.targets.select_related("cancelled_by"))
    # The plan as amended: each changed row carries "sửa đổi theo Kế hoạch số … ngày …".
    history = plan_amendment_history(plan=plan)
    for t in targets:
        t.amended = history["targets"].get(t.pk, [])
    parts: dict[int, list] = {}
    for t in targets:
        if t.parent_id:
            parts.setdefault(t.parent_id, []).append(t)
    top_targets = [t for t in targets if t.parent_id is None]
    for t in top_targets:
        t.part_list = parts.get(t.pk, [])
    # Names stay as the plan wrote them; where an agency has since been merged or renamed, say who answers today.
    responsibility = PlanResponsibility(plan=plan, day=timezone.localdate())
    urls: dict = {}
    for group in task_groups:
        group.node = nodes.get(group.code)
        group.task_list = list(group.tasks.all())
        group.blocks = _letter_blocks(group.task_list, nodes)
        for task in group.task_list:
            for a in task.assignments.all():
                a.now = responsibility.now(a) if a.agency_id else None
                a.html = _assignee_html(a, urls)
            task.amended = history["tasks"].get(task.pk, [])
            task.leads = [a for a in task.assignments.all() if a.role == AssignmentRole.LEAD]
            task.coordinates = [a for a in task.assignments.all() if a.role == AssignmentRole.COORDINATE]
    duties = {d.code: d for d in plan.duties.select_related("agency", "recipient").prefetch_related("groups")}
    sections = []
    for node in outline:
        if node.depth == 0:
            sections.append({"node": node, "children": []})
        elif sections and node.depth == 1:
            node.duty = duties.get(node.code)
            sections[-1]["children"].append(node)
    # Targets hang under the outline node that prefixes their codes (II.2), task groups under theirs (III).
    targets_at = top_targets[0].code.rsplit(".", 1)[0] if top_targets else ""
    tasks_at = task_groups[0].code.split(".")[0] if task_groups else ""
    placed = {n.code for n in outline}
    context = {}
    for hook in PLAN_PAGE_HOOKS:
        context.update(
            hook(request=request, plan=plan, tasks=[t for g in task_groups for t in g.task_list]) or {}
        )
    context |= {
        "plan": plan,
        "targets_at": targets_at if targets_at in placed else "",
        "targets_section": targets_at.split(".")[0] if targets_at in placed else "",
        "tasks_at": tasks_at if tasks_at in placed else "",
        "references": list(plan.references.all()),
        "recipients": list(plan.recipients.select_related("agency", "group")),
        "sections": sections,
        "targets": top_targets,
        "target_count": len(top_targets),
        "task_groups": task_groups,
        "task_count": sum(len(g.task_list) for g in task_groups),
        "duties": list(duties.values()),
        "amendment_count": len(
            {
                row["amendment"].pk
                for rows in (*history["tasks"].values(), *history["targets"].values())
                for row in rows
            }
        ),
    }
    return context


def plan_matrix(request, pk: int):
    """Agencies × task groups. ``?xem=van-ban`` shows the assignees as the plan writes them, groups unexpanded.

    The page's body is the same for every reader of the plan in the same agency (their row is marked): it is
    rendered once per version of the plan (its tasks, groups, assignments) and of the agencies and groups, per
    agency and query string, and served from the cache after that (``core.page_cache``)."""
    plan = plan_get_for_user(user=request.user, pk=pk)
    as_written = request.GET.get("xem") == "van-ban"
    fmt = export_format(request)
    if fmt:
        return _plan_matrix_export(
            plan, plan_assignment_matrix(plan=plan, as_written=as_written), as_written, fmt
        )
    computed: dict = {}

    def render_body() -> str:
        computed["matrix"] = plan_assignment_matrix(plan=plan, as_written=as_written)
        context = {"plan": plan, "matrix": computed["matrix"], "as_written": as_written}
        # the request is there for the export links' query string; the key carries the query string and the
        # reader's agency, the only things of the request or the user the body shows
        return render_to_string("plans/_plan_matrix_body.html", context, request=request)

    body, _hit = cached_body(
        "plan-matrix",
        versions=tokens(plan_key(plan.pk), ORGS_KEY),
        parts=(plan.pk, request.user.agency_id),
        querystring=request.GET.urlencode(),
        render=render_body,
    )
    return page_with_body(
        request, "plans/plan_matrix.html", {"plan": plan, "matrix": computed.get("matrix")}, body
    )


def _plan_matrix_export(plan, matrix, as_written: bool, fmt: str):
    headers = [_("Cơ quan / nhóm được giao") if as_written else _("Cơ quan, đơn vị")]
    for g in matrix.task_groups:
        headers += [f"{g.code} " + _("chủ trì"), f"{g.code} " + _("phối hợp")]
    headers += [_("Chủ trì"), _("Phối hợp"), _("Số nhiệm vụ")]
    rows = []
    for row in [*matrix.rows, *matrix.general_rows]:
        line = [row.label]
        for cell in row.cells:
            line += [cell.lead, cell.coordinate]
        total = row.total
        rows.append([*line, total.lead, total.coordinate, total.total])
    return table_export(
        fmt=fmt,
        filename=f"ma-tran-phan-cong-{plan.code}",
        title=_("Ma trận phân công"),
        headers=headers,
        rows=rows,
    )
