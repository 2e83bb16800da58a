"""REST API of the reporting workflow. Same getters and services as the pages, so the same permissions."""

from operator import attrgetter

from django.http import FileResponse
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.fields import empty
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import ISO_8601, api_settings

from plantrack.core.cached_list import CachedListMixin
from plantrack.core.inputs import DB_INT_MAX, IdField, IdFilter
from plantrack.core.versions import ALL, ORGS_KEY, agency_reports_key, plan_key, plan_reports_key, tokens
from plantrack.orgs.models import Agency
from plantrack.plans.models import Plan
from plantrack.plans.permissions import plan_get_for_user

from . import services
from .facts import DocumentIn, EntryFacts, EventIn, FundingIn, ProposalIn
from .models import (
    AgencyReport,
    EntryDocument,
    EntryEvent,
    EntryFunding,
    Evidence,
    EvidenceKind,
    ReportEntry,
    ReportingCycle,
    ReportProposal,
    ReportState,
)
from .permissions import (
    cycle_get_for_user,
    evidence_get_for_user,
    report_get_for_review,
    report_get_for_submit,
    report_get_for_user,
)
from .selectors import FACT_RELATIONS, cycle_rows
from .services import (
    ReportingError,
    StaleReportError,
    WorkflowNotAllowed,
    WorkflowNotFound,
    WorkflowWrongState,
)
from .timeliness import TaskTimeliness, plan_task_timeliness, rows_visible_to, state_counts

VERSION_HELP = "Phiên bản đọc được lần cuối (bắt buộc); sai phiên bản ⇒ 409."
VERSION_MISSING = {
    "required": "Thiếu phiên bản báo cáo (version): gửi phiên bản đọc được lần cuối để không ghi đè thay đổi của "
    "người khác.",
    "null": "Thiếu phiên bản báo cáo (version): gửi phiên bản đọc được lần cuối để không ghi đè thay đổi của "
    "người khác.",
}


def _error(exc: ReportingError) -> Response:
    """The answer to a refused move, from the kind of refusal alone (no second look at the database)."""
    if isinstance(exc, StaleReportError):
        return Response(
            {"detail": str(exc), "current_version": exc.current.version}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, WorkflowNotFound):
        return Response({"detail": str(exc)}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, WorkflowNotAllowed):
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, WorkflowWrongState):
        # The request is well formed; the report is not in a state for it (already sent, already accepted…).
        return Response({"detail": str(exc), "code": "wrong_state"}, status=status.HTTP_409_CONFLICT)
    return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)


def _entry_facts(values: dict) -> EntryFacts:
    return EntryFacts(
        documents=tuple(DocumentIn(**d) for d in values.pop("documents", [])),
        events=tuple(EventIn(**e) for e in values.pop("events", [])),
        funding=tuple(FundingIn(**f) for f in values.pop("funding", [])),
    )


# --- Serializers ----------------------------------------------------------------------------------------------


class CycleSerializer(serializers.ModelSerializer):
    plan_code = serializers.CharField(source="plan.code", read_only=True)

    class Meta:
        model = ReportingCycle
        fields = [
            "id",
            "plan",
            "plan_code",
            "year",
            "due_date",
            "period_start",
            "period_end",
            "data_as_of",
            "state",
            "is_demo",
            "note",
        ]
        read_only_fields = ["period_start", "period_end", "state", "is_demo"]
        extra_kwargs = {
            "due_date": {"required": False},
            "data_as_of": {"required": False},
            "plan": {"pk_field": IdField()},
        }
        validators = []  # one cycle per plan and year is checked by cycle_open, with its Vietnamese message


class EvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "report",
            "entry",
            "kind",
            "title",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "url",
            "created_at",
            "download_url",
        ]

    def get_download_url(self, obj) -> str | None:
        if obj.kind != EvidenceKind.FILE:
            return None
        request = self.context.get("request")
        path = f"/api/v1/evidence/{obj.pk}/download/"
        return request.build_absolute_uri(path) if request else path


class EvidenceCreateSerializer(serializers.Serializer):
    report = IdField()
    entry = IdField(required=False, allow_null=True)
    title = serializers.CharField(required=False, allow_blank=True, max_length=255)
    file = serializers.FileField(required=False)
    url = serializers.URLField(required=False, max_length=1000)

    def validate(self, attrs):
        if bool(attrs.get("file")) == bool(attrs.get("url")):
            raise serializers.ValidationError("Gửi đúng một trong hai: file hoặc url.")
        return attrs


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = EntryDocument
        fields = ["number_symbol", "issued_on", "subject"]


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = EntryEvent
        fields = ["kind", "count", "participants", "note"]


class FundingSerializer(serializers.ModelSerializer):
    """Amounts in millions of đồng (triệu đồng)."""

    class Meta:
        model = EntryFunding
        fields = ["year", "provincial", "central", "other", "spent", "note"]


class ProposalSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False, allow_null=True)
    addressee_label = serializers.CharField(read_only=True)

    class Meta:
        model = ReportProposal
        fields = [
            "id",
            "addressee",
            "addressee_name",
            "addressee_agency",
            "addressee_label",
            "text",
            "include",
            "answer",
            "answered_on",
        ]
        read_only_fields = ["include", "answer", "answered_on"]
        extra_kwargs = {"addressee_agency": {"queryset": Agency.objects.all(), "required": False}}


class EntrySerializer(serializers.ModelSerializer):
    task_code = serializers.CharField(source="task.code", read_only=True)
    # The task's text this report answers to (kept as it was when the cycle opened, if an amendment rewrote it),
    # and the note of an entry closed by an amendment ("Đã hủy theo Kế hoạch số …").
    task_text = serializers.CharField(source="task_text_in_force", read_only=True)
    closed_note = serializers.CharField(read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    funding = FundingSerializer(many=True, read_only=True)

    class Meta:
        model = ReportEntry
        fields = [
            "id",
            "task",
            "task_code",
            "task_text",
            "closed_note",
            "role",
            "status",
            "results",
            "difficulties",
            "documents",
            "events",
            "funding",
        ]


class ReportSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    plan_code = serializers.CharField(source="cycle.plan.code", read_only=True)
    year = serializers.IntegerField(source="cycle.year", read_only=True)
    is_demo = serializers.BooleanField(source="cycle.is_demo", read_only=True)
    display_state = serializers.SerializerMethodField()
    is_missing = serializers.SerializerMethodField()
    entries = EntrySerializer(many=True, read_only=True)
    proposal_items = ProposalSerializer(many=True, read_only=True)

    class Meta:
        model = AgencyReport
        fields = [
            "id",
            "cycle",
            "plan_code",
            "year",
            "agency",
            "agency_name",
            "state",
            "display_state",
            "version",
            "data_as_of",
            "main_results",
            "shortcomings",
            "next_year",
            "proposals",
            "last_saved_at",
            "first_submitted_at",
            "submitted_at",
            "is_late",
            "is_missing",
            "returned_at",
            "return_comment",
            "accepted_at",
            "accepted_submission",
            "is_demo",
            "entries",
            "proposal_items",
        ]

    def get_display_state(self, obj) -> str:
        return obj.display_state(self.context.get("now"))[0]

    def get_is_missing(self, obj) -> bool:
        return obj.is_missing(self.context.get("now"))


class ReportListSerializer(ReportSerializer):
    """The list's rows. The fields (and so the OpenAPI schema) are ReportSerializer's without the texts; the rows
    are written by ``to_representation`` below from the loaded attributes, in the fields' order, with the fields'
    own ``to_representation`` for dates and times: the same JSON as DRF's walk over its fields, at a fraction of
    its cost (a page holds 100 reports)."""

    class Meta(ReportSerializer.Meta):
        fields = [
            f
            for f in ReportSerializer.Meta.fields
            if f
            not in (
                "entries",
                "proposal_items",
                "main_results",
                "shortcomings",
                "next_year",
                "proposals",
                "return_comment",
            )
        ]

    # The columns the list reads (ReportViewSet.get_queryset, as tuples made into rows by ``_listed``): the fields
    # above and what ``display_state``/``is_missing`` read (the cycle's due date).
    LIST_COLUMNS = (
        "id",
        "cycle_id",
        "agency_id",
        "state",
        "version",
        "data_as_of",
        "last_saved_at",
        "first_submitted_at",
        "submitted_at",
        "is_late",
        "returned_at",
        "accepted_at",
        "accepted_submission_id",
        "cycle__year",
        "cycle__is_demo",
        "cycle__due_date",
        "cycle__plan__number",
        "cycle__plan__symbol",
        "agency__name",
    )

    _ROW_PLAN: list[tuple[str, str, object]] | None = None  # built once per process from the declared fields

    @classmethod
    def _row_plan(cls, fields) -> list[tuple[str, str, object]]:
        """``[(name, kind, how)]`` in the fields' order: how each field is read and written."""
        found = cls.__dict__.get("_ROW_PLAN")  # a subclass builds its own
        if found is not None:
            return found
        iso = api_settings.DATETIME_FORMAT == ISO_8601 and api_settings.DATE_FORMAT == ISO_8601
        plan = []
        for field in fields.values():
            if field.write_only:
                continue
            name, kind = field.field_name, type(field)
            if isinstance(field, serializers.SerializerMethodField):
                plan.append((name, "method", field.method_name))
            elif kind is serializers.PrimaryKeyRelatedField and field.pk_field is None:
                plan.append((name, "plain", attrgetter(AgencyReport._meta.get_field(field.source).attname)))
            elif kind is serializers.DateTimeField and iso and getattr(field, "format", empty) is empty:
                plan.append((name, "datetime", attrgetter(field.source)))
            elif kind is serializers.DateField and iso and getattr(field, "format", empty) is empty:
                plan.append((name, "date", attrgetter(field.source)))
            elif kind is serializers.BooleanField:
                plan.append((name, "bool", attrgetter(field.source)))
            elif kind is serializers.ChoiceField:
                plan.append((name, "choice", (attrgetter(field.source), field.choice_strings_to_values)))
            elif (
                kind is serializers.BigIntegerField
                and not getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING)
                or kind in (serializers.IntegerField, serializers.CharField)
            ):
                plan.append((name, "plain", attrgetter(field.source)))
            else:
                raise TypeError(f"ReportListSerializer: no fast path for {name} ({kind.__name__})")
        cls._ROW_PLAN = plan
        return plan

    def to_representation(self, instance):
        plan = type(self).__dict__.get("_ROW_PLAN") or self._row_plan(self.fields)
        tz = self.__dict__.get("_tz")
        if tz is None:
            tz = self._tz = timezone.get_current_timezone()
        ret = {}
        for name, kind, how in plan:
            if kind == "method":
                ret[name] = getattr(self, how)(instance)
                continue
            if kind == "choice":
                value = how[0](instance)
                ret[name] = value if value in ("", None) else how[1].get(str(value), value)
                continue
            value = how(instance)
            if value is None or kind == "plain":
                ret[name] = value
            elif (
                kind == "datetime"
            ):  # as DRF's DateTimeField: in the current time zone, ISO 8601, "Z" for UTC
                text = value.astimezone(tz).isoformat() if timezone.is_aware(value) else value.isoformat()
                ret[name] = text[:-6] + "Z" if text.endswith("+00:00") else text
            elif kind == "date":
                ret[name] = value.isoformat()
            else:
                ret[name] = bool(value)
        return ret


class EntryWriteSerializer(serializers.Serializer):
    id = IdField()
    status = serializers.CharField(required=False, allow_blank=True)
    results = serializers.CharField(required=False, allow_blank=True)
    difficulties = serializers.CharField(required=False, allow_blank=True)
    # Each list given replaces the entry's rows of that kind (all three are then replaced; missing ones emptied).
    documents = DocumentSerializer(many=True, required=False)
    events = EventSerializer(many=True, required=False)
    funding = FundingSerializer(many=True, required=False)


class ReportWriteSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=VERSION_HELP, error_messages=VERSION_MISSING)
    data_as_of = serializers.DateField(required=False, allow_null=True)
    main_results = serializers.CharField(required=False, allow_blank=True)
    shortcomings = serializers.CharField(required=False, allow_blank=True)
    next_year = serializers.CharField(required=False, allow_blank=True)
    proposals = serializers.CharField(required=False, allow_blank=True)
    entries = EntryWriteSerializer(many=True, required=False)
    proposal_items = ProposalSerializer(
        many=True,
        required=False,
        help_text="Danh sách kiến nghị thay cho danh sách hiện có (giữ id để giữ xử lý).",
    )


class TransitionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=VERSION_HELP, error_messages=VERSION_MISSING)
    comment = serializers.CharField(required=False, allow_blank=True)


class ReturnSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=VERSION_HELP, error_messages=VERSION_MISSING)
    comment = serializers.CharField()
    entry_comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, help_text="{entry_id: ý kiến}"
    )


# --- Filters --------------------------------------------------------------------------------------------------


class ReportFilter(filters.FilterSet):
    """``?cycle=<id>`` and ``?state=<state>``; a value that is not a number or not a state answers 400."""

    cycle = IdFilter(field_name="cycle_id")
    state = filters.ChoiceFilter(choices=ReportState.choices)

    class Meta:
        model = AgencyReport
        fields = ["cycle", "state"]


class EvidenceFilter(filters.FilterSet):
    report = IdFilter(field_name="report_id")

    class Meta:
        model = Evidence
        fields = ["report"]


# --- Views ----------------------------------------------------------------------------------------------------


class CycleViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Reporting cycles. ``POST`` opens a cycle (coordinators of the plan only)."""

    serializer_class = CycleSerializer

    def get_queryset(self):
        return ReportingCycle.objects.for_user(self.request.user).select_related("plan")

    def get_object(self):
        return cycle_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            cycle = services.cycle_open(
                actor=request.user,
                plan=data["plan"],
                year=data["year"],
                due_date=data.get("due_date"),
                data_as_of=data.get("data_as_of"),
                note=data.get("note", ""),
            )
        except ReportingError as exc:
            return _error(exc)
        return Response(CycleSerializer(cycle).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=inline_serializer(
            "CycleStatus",
            {
                "agency": serializers.CharField(),
                "report": serializers.IntegerField(allow_null=True),
                "state": serializers.CharField(),
                "label": serializers.CharField(),
                "late": serializers.BooleanField(),
                "missing": serializers.BooleanField(),
            },
            many=True,
        )
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def status(self, request, pk=None):
        """Each expected agency's state (agency members see only their own row)."""
        cycle = self.get_object()
        now = timezone.now()
        rows = cycle_rows(cycle=cycle, user=request.user, now=now)
        return Response(
            [
                {
                    "agency": r.report.agency.name,
                    "report": r.report.pk if r.visible else None,
                    "state": r.code,
                    "label": r.label,
                    "late": r.report.is_late,
                    "missing": r.report.is_missing(now),
                }
                for r in rows
            ]
        )


class _ListedPlan:
    __slots__ = ("number", "symbol")
    code = Plan.code


class _ListedCycle:
    __slots__ = ("year", "is_demo", "due_date", "plan")
    deadline = ReportingCycle.deadline
    is_past_due = ReportingCycle.is_past_due


class _ListedAgency:
    __slots__ = ("name",)


class _ListedReport:
    """A report of the list as ``ReportListSerializer`` reads it, with the model's own ``display_state`` and
    ``is_missing`` (they read only these attributes): a page of 100 without building 400 model instances."""

    # The report's own columns of the list, then its cycle and agency (one shared object each).
    __slots__ = (*(c for c in ReportListSerializer.LIST_COLUMNS if "__" not in c), "cycle", "agency")
    is_missing = AgencyReport.is_missing
    display_state = AgencyReport.display_state


def _listed(rows) -> list[_ListedReport]:
    """``ReportListSerializer.LIST_COLUMNS`` tuples as rows; one cycle and one agency object each, shared."""
    cycles: dict[int, _ListedCycle] = {}
    agencies: dict[int, _ListedAgency] = {}
    out = []
    for row in rows:
        report = _ListedReport()
        (
            report.id,
            report.cycle_id,
            report.agency_id,
            report.state,
            report.version,
            report.data_as_of,
            report.last_saved_at,
            report.first_submitted_at,
            report.submitted_at,
            report.is_late,
            report.returned_at,
            report.accepted_at,
            report.accepted_submission_id,
            year,
            is_demo,
            due_date,
            number,
            symbol,
            agency_name,
        ) = row
        cycle = cycles.get(report.cycle_id)
        if cycle is None:
            cycle = cycles[report.cycle_id] = _ListedCycle()
            cycle.year, cycle.is_demo, cycle.due_date = year, is_demo, due_date
            cycle.plan = _ListedPlan()
            cycle.plan.number, cycle.plan.symbol = number, symbol
        agency = agencies.get(report.agency_id)
        if agency is None:
            agency = agencies[report.agency_id] = _ListedAgency()
            agency.name = agency_name
        report.cycle, report.agency = cycle, agency
        out.append(report)
    return out


class ReportViewSet(CachedListMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Agency reports. ``PATCH`` saves the draft (version required; 409 if stale); actions move the workflow."""

    list_cache_kind = "reports"
    list_params = (*ReportFilter.Meta.fields, "page")
    http_method_names = ["get", "patch", "post", "head", "options"]
    filterset_class = ReportFilter
    partial_request_schema = False  # PATCH validates ReportWriteSerializer whole: version is required

    def get_queryset(self):
        if self.action == "list":  # tuples of the list's columns (``list`` below), in the same order
            return (
                AgencyReport.objects.for_user(self.request.user)
                # made total by the id: pages read at different times (and cached apart) never overlap
                .order_by("-cycle__year", "agency__sort_key", "pk")
                .values_list(*ReportListSerializer.LIST_COLUMNS)
            )
        qs = AgencyReport.objects.for_user(self.request.user).select_related("cycle__plan", "agency")
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                "entries__task",
                *(f"entries__{r}" for r in FACT_RELATIONS),
                "proposal_items__addressee_agency",
            )
        return qs.order_by("-cycle__year", "agency__sort_key", "pk")

    def list_page(self, request, *args, **kwargs):
        """As DRF's, with the page read as tuples and made into light rows (``_listed``): no model instances. Served
        from the cache when warm (``CachedListMixin``): a page holds until a report, plan or agency changes or a
        deadline of a cycle it lists passes (a report not sent then becomes "missing")."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = _listed(queryset if page is None else page)
        deadlines = [r.cycle.deadline for r in rows if r.cycle.deadline >= self.now]
        self.list_valid_until = min([*deadlines, self.list_valid_until])
        serializer = self.get_serializer(rows, many=True)
        if page is None:
            return Response(serializer.data)
        return self.get_paginated_response(serializer.data)

    def list_versions(self) -> str:
        # The agency's own reports, for its people: its drafts' content changes bump only these.
        members = AgencyReport.objects.visibility(self.request.user)[0]
        return tokens(
            ORGS_KEY, plan_key(ALL), plan_reports_key(ALL), *(agency_reports_key(pk) for pk in members)
        )

    def list_visibility(self):
        return AgencyReport.objects.visibility(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return ReportListSerializer
        if self.action == "partial_update":
            return ReportWriteSerializer
        return ReportSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": getattr(self, "now", None) or timezone.now()}

    def get_object(self):
        return report_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def _read(self, report_pk: int) -> Response:
        report = (
            AgencyReport.objects.select_related("cycle__plan", "agency")
            .prefetch_related(
                "entries__task",
                *(f"entries__{r}" for r in FACT_RELATIONS),
                "proposal_items__addressee_agency",
            )
            .get(pk=report_pk)
        )
        return Response(ReportSerializer(report, context=self.get_serializer_context()).data)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        report = report_get_for_user(user=request.user, pk=kwargs["pk"], write=True)
        serializer = ReportWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entries = {e.pop("id"): e for e in data.get("entries", [])}
        facts = {
            entry_id: _entry_facts(e)
            for entry_id, e in entries.items()
            if any(k in e for k in ("documents", "events", "funding"))
        }
        proposals = None
        if "proposal_items" in data:
            proposals = [
                ProposalIn(
                    addressee=p["addressee"],
                    text=p["text"],
                    addressee_name=p.get("addressee_name", ""),
                    addressee_agency_id=p["addressee_agency"].pk if p.get("addressee_agency") else None,
                    id=p.get("id"),
                )
                for p in data["proposal_items"]
            ]
        try:
            services.report_save_draft(
                actor=request.user,
                report=report,
                version=data["version"],
                sections={f: data[f] for f in AgencyReport.SECTION_FIELDS if f in data},
                entries=entries,
                data_as_of=data.get("data_as_of"),
                facts=facts or None,
                proposals=proposals,
            )
        except ReportingError as exc:
            return _error(exc)
        return self._read(report.pk)

    @extend_schema(request=TransitionSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send (or send again after a return) — the agency head only."""
        report = report_get_for_submit(user=request.user, pk=pk)
        ser = TransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            services.report_send(actor=request.user, report=report, version=ser.validated_data["version"])
        except ReportingError as exc:
            return _error(exc)
        return self._read(report.pk)

    @extend_schema(request=TransitionSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path="hand-over", url_name="hand-over")
    def hand_over(self, request, pk=None):
        """ "Trình lãnh đạo": a reporter of the agency hands the draft (or the returned report) to its head."""
        report = report_get_for_user(user=request.user, pk=pk)
        ser = TransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            services.report_hand_over(
                actor=request.user,
                report=report,
                version=ser.validated_data["version"],
                comment=ser.validated_data.get("comment", ""),
            )
        except ReportingError as exc:
            return _error(exc)
        return self._read(report.pk)

    @extend_schema(request=TransitionSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path="hand-back", url_name="hand-back")
    def hand_back(self, request, pk=None):
        """ "Trả lại chuyên viên": the agency head, with a comment (required)."""
        report = report_get_for_submit(user=request.user, pk=pk)
        ser = TransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            services.report_hand_back(
                actor=request.user,
                report=report,
                version=ser.validated_data["version"],
                comment=ser.validated_data.get("comment", ""),
            )
        except ReportingError as exc:
            return _error(exc)
        return self._read(report.pk)

    @extend_schema(request=ReturnSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Return with a general comment and optional comments per entry — coordinators only."""
        report = report_get_for_review(user=request.user, pk=pk)
        ser = ReturnSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        raw = ser.validated_data.get("entry_comments", {})
        try:
            entry_comments = {int(k): v for k, v in raw.items()}
            if any(not 1 <= key <= DB_INT_MAX for key in entry_comments):
                raise ValueError
        except ValueError:
            return Response({"detail": "entry_comments: khóa phải là mã số nội dung."}, status=400)
        try:
            services.report_return(
                actor=request.user,
                report=report,
                comment=ser.validated_data["comment"],
                entry_comments=entry_comments,
                version=ser.validated_data["version"],
            )
        except ReportingError as exc:
            return _error(exc)
        return self._read(report.pk)

    @extend_schema(request=TransitionSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept — coordinators only. The report is frozen from then on."""
        report = report_get_for_review(user=request.user, pk=pk)
        ser = TransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            services.report_accept(
                actor=request.user,
                report=report,
                version=ser.validated_data["version"],
                comment=ser.validated_data.get("comment", ""),
            )
        except ReportingError as exc:
            return _error(exc)
        return self._read(report.pk)

    @extend_schema(
        responses=inline_serializer(
            "Submission",
            {
                "number": serializers.IntegerField(),
                "submitted_at": serializers.DateTimeField(),
                "is_late": serializers.BooleanField(),
                "accepted": serializers.BooleanField(),
                "snapshot": serializers.JSONField(),
            },
            many=True,
        )
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def submissions(self, request, pk=None):
        """Every submission with the exact content sent; ``accepted`` marks the one consolidation reads."""
        report = self.get_object()
        return Response(
            [
                {
                    "number": s.number,
                    "submitted_at": s.submitted_at,
                    "is_late": s.is_late,
                    "accepted": s.pk == report.accepted_submission_id,
                    "snapshot": s.snapshot,
                }
                for s in report.submissions.all()
            ]
        )


class EvidenceViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """Evidence files and links. Upload with multipart (``file``) or JSON (``url``)."""

    serializer_class = EvidenceSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_class = EvidenceFilter

    def get_queryset(self):
        return Evidence.objects.for_user(self.request.user).order_by("pk")

    def get_object(self):
        return evidence_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=EvidenceCreateSerializer, responses=EvidenceSerializer)
    def create(self, request, *args, **kwargs):
        ser = EvidenceCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        report = report_get_for_user(user=request.user, pk=data["report"], write=True)
        entry = None
        if data.get("entry"):
            entry = report.entries.filter(pk=data["entry"]).first()
            if entry is None:
                return Response({"detail": "Nội dung không thuộc báo cáo này."}, status=400)
        try:
            if data.get("file"):
                evidence = services.evidence_add_file(
                    actor=request.user,
                    report=report,
                    entry=entry,
                    upload=data["file"],
                    title=data.get("title", ""),
                )
            else:
                evidence = services.evidence_add_link(
                    actor=request.user,
                    report=report,
                    entry=entry,
                    url=data["url"],
                    title=data.get("title", ""),
                )
        except ReportingError as exc:
            return _error(exc)
        return Response(EvidenceSerializer(evidence, context={"request": request}).data, status=201)

    def destroy(self, request, *args, **kwargs):
        evidence = evidence_get_for_user(user=request.user, pk=kwargs["pk"], write=True)
        try:
            services.evidence_delete(actor=request.user, evidence=evidence)
        except ReportingError as exc:
            return _error(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        evidence = self.get_object()
        if evidence.kind != EvidenceKind.FILE:
            return Response({"detail": "Minh chứng này là đường dẫn.", "url": evidence.url}, status=400)
        download = services.evidence_open(actor=request.user, evidence=evidence, request=request)
        return FileResponse(
            download.file, as_attachment=True, filename=download.filename, content_type=download.content_type
        )


# --- Task timeliness ------------------------------------------------------------------------------------------


class TaskTimelinessSerializer(serializers.Serializer):
    task_id = serializers.IntegerField(source="task.pk")
    task_code = serializers.CharField(source="task.code")
    recurrence = serializers.CharField(source="task.recurrence")
    due_date = serializers.DateField(allow_null=True)
    agency_id = serializers.IntegerField(source="agency.pk")
    agency = serializers.CharField(source="agency.name")
    roles = serializers.ListField(child=serializers.CharField())
    status = serializers.CharField(
        help_text="Tình trạng trong báo cáo đã tiếp nhận gần nhất (trống: chưa có)."
    )
    done_on = serializers.DateField(
        allow_null=True, help_text="Ngày gửi báo cáo đã tiếp nhận ghi “Hoàn thành”."
    )
    state = serializers.ChoiceField(choices=TaskTimeliness.choices)
    state_label = serializers.CharField()


class AsOfSerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False, help_text="Ngày xét (YYYY-MM-DD); mặc định hôm nay.")


class PlanTaskTimelinessView(GenericAPIView):
    """Each (task, agency) pair of a plan with its timeliness state on ``as_of`` (docs/design/task-timeliness.md).

    The plan as the caller may read it (404 otherwise); the pairs as the caller may see the reports they come
    from: the plan's coordinators, viewers and administrators every pair, an agency's people their own."""

    serializer_class = TaskTimelinessSerializer
    pagination_class = None

    @extend_schema(
        operation_id="plan_task_timeliness",
        parameters=[AsOfSerializer],
        responses=inline_serializer(
            "PlanTaskTimeliness",
            {
                "plan": serializers.CharField(),
                "as_of": serializers.DateField(),
                "counts": serializers.DictField(child=serializers.IntegerField()),
                "pairs": TaskTimelinessSerializer(many=True),
            },
        ),
    )
    def get(self, request, pk: int):
        plan = plan_get_for_user(user=request.user, pk=pk)
        params = AsOfSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        as_of = params.validated_data.get("as_of") or timezone.localdate()
        rows = rows_visible_to(
            user=request.user, plan=plan, rows=plan_task_timeliness(plan=plan, as_of=as_of)
        )
        return Response(
            {
                "plan": plan.code,
                "as_of": as_of.isoformat(),
                "counts": {code: n for code, _label, n in state_counts(rows)},
                "pairs": TaskTimelinessSerializer(rows, many=True).data,
            }
        )
