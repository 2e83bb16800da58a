"""Read-only API over plans: the same visibility as the pages (``Plan.objects.for_user``)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from plantrack.core.cached_list import CachedListMixin
from plantrack.core.versions import ALL, ORGS_KEY, plan_key, tokens

from .amendments import change_label
from .models import Amendment, AmendmentChange, AmendmentState, Assignment, Plan, Task, TaskGroup


class AssignmentSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name", default=None, allow_null=True)
    group = serializers.CharField(source="group.name", default=None, allow_null=True)

    class Meta:
        model = Assignment
        fields = ["role", "agency", "agency_id", "group", "group_id", "related_only", "as_written"]


class TaskSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="group.code")
    assignments = AssignmentSerializer(many=True)

    class Meta:
        model = Task
        fields = ["id", "code", "group", "heading", "text", "recurrence", "deadline", "assignments"]


class TaskGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskGroup
        fields = ["id", "code", "title"]


class PlanSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    issuer = serializers.CharField(source="issuer.name")
    coordinator_agency = serializers.CharField(source="coordinator_agency.name")

    class Meta:
        model = Plan
        fields = [
            "id",
            "code",
            "number",
            "symbol",
            "title",
            "place",
            "issued_on",
            "issuer",
            "coordinator_agency",
            "coordinator_agency_id",
            "report_due_day",
            "report_due_month",
        ]


class PlanDetailSerializer(PlanSerializer):
    task_groups = TaskGroupSerializer(many=True)
    tasks = TaskSerializer(many=True)

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "task_groups", "tasks"]


class AmendmentChangeSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    task = serializers.CharField(source="task.code", default=None, allow_null=True)
    target = serializers.CharField(source="target.code", default=None, allow_null=True)

    class Meta:
        model = AmendmentChange
        fields = ["kind", "label", "task", "task_id", "target", "target_id", "payload"]

    def get_label(self, obj) -> str:
        return change_label(obj)


class AmendmentSerializer(serializers.ModelSerializer):
    changes = AmendmentChangeSerializer(many=True)

    class Meta:
        model = Amendment
        fields = [
            "id",
            "number",
            "issued_on",
            "issuer",
            "title",
            "effective_on",
            "state",
            "applied_at",
            "changes",
        ]


class PlanViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """Plans the caller may read; the detail includes task groups and tasks with their assignments. The list is
    served from the cache when warm (``CachedListMixin``): a page holds until a plan or an agency changes."""

    list_cache_kind = "plans"

    def list_versions(self) -> str:
        return tokens(ORGS_KEY, plan_key(ALL))

    def list_visibility(self):
        return Plan.objects.visibility(self.request.user)

    def get_queryset(self):
        qs = Plan.objects.for_user(self.request.user).select_related("issuer", "coordinator_agency")
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                "task_groups", "tasks__group", "tasks__assignments__agency", "tasks__assignments__group"
            )
        return qs

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer

    @extend_schema(operation_id="plan_amendments", responses=AmendmentSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def amendments(self, request, pk=None):
        """The plan's applied amendments (sửa đổi, bổ sung), oldest first, with their changes. Drafts stay with the
        department in charge and are not listed."""
        plan = self.get_object()
        amendments = (
            Amendment.objects.filter(plan=plan, state=AmendmentState.APPLIED)
            .order_by("applied_at", "pk")
            .prefetch_related("changes__task", "changes__target")
        )
        return Response(AmendmentSerializer(amendments, many=True).data)
