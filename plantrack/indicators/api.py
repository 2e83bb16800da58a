"""REST API of indicators and yearly figures. Same querysets, getters and services as the pages, so the same
permissions: every signed-in role reads definitions; an agency reads and enters the figures it provides, the
plan's coordinators all of them; viewers read figures entered outside a report or from an accepted report."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from plantrack.core.inputs import IdField, IdFilter
from plantrack.core.numbers import parse_decimal
from plantrack.reporting.permissions import report_get_for_user

from .models import IndicatorComponent, IndicatorDefinition, YearlyFigure
from .permissions import definition_get_for_user, figure_get_for_user
from .selectors import target_indicator_view
from .services import JumpNeedsExplanation, figure_delete, figure_record

# --- Serializers ----------------------------------------------------------------------------------------------


class ComponentSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.name", default=None, allow_null=True, read_only=True)

    class Meta:
        model = IndicatorComponent
        fields = [
            "id",
            "name",
            "label",
            "unit",
            "value_type",
            "min_allowed",
            "max_allowed",
            "jump_threshold_percent",
            "provider",
            "provider_id",
        ]


class DefinitionSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="target.plan_id", read_only=True)
    target_code = serializers.CharField(source="target.code", read_only=True)
    target_text = serializers.CharField(source="target.text", read_only=True)
    comparator = serializers.CharField(source="target.comparator", read_only=True)
    target_min = serializers.DecimalField(
        source="target.min_value",
        max_digits=14,
        decimal_places=4,
        read_only=True,
        allow_null=True,
    )
    target_max = serializers.DecimalField(
        source="target.max_value",
        max_digits=14,
        decimal_places=4,
        read_only=True,
        allow_null=True,
    )
    target_year = serializers.IntegerField(source="target.target_year", read_only=True, allow_null=True)
    period_start_year = serializers.IntegerField(
        source="target.period_start_year", read_only=True, allow_null=True
    )
    provider = serializers.CharField(source="provider.name", default=None, allow_null=True, read_only=True)
    components = ComponentSerializer(many=True, read_only=True)

    class Meta:
        model = IndicatorDefinition
        fields = [
            "id",
            "plan",
            "target",
            "target_code",
            "target_text",
            "comparator",
            "target_min",
            "target_max",
            "period_start_year",
            "target_year",
            "kind",
            "formula",
            "unit",
            "value_type",
            "min_allowed",
            "max_allowed",
            "jump_threshold_percent",
            "provider",
            "provider_id",
            "direction",
            "assessment",
            "tolerance_percent",
            "at_risk_margin_percent",
            "baseline_year",
            "baseline_value",
            "decimal_places",
            "method_note",
            "components",
        ]


class FigureSerializer(serializers.ModelSerializer):
    indicator = serializers.IntegerField(source="definition_id", read_only=True)
    entered_by = serializers.CharField(
        source="entered_by.username", default=None, read_only=True, allow_null=True
    )
    agency = serializers.CharField(source="agency.name", default=None, read_only=True, allow_null=True)

    class Meta:
        model = YearlyFigure
        fields = [
            "id",
            "indicator",
            "component",
            "year",
            "value",
            "source_note",
            "explanation",
            "agency",
            "agency_id",
            "entered_by",
            "report",
            "is_demo",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class FigureWriteSerializer(serializers.Serializer):
    """``indicator`` (a direct one) or ``component``; ``value`` as a number or text with a decimal comma."""

    indicator = IdField(required=False)
    component = IdField(required=False)
    year = IdField()
    value = serializers.CharField(max_length=40)
    source_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    explanation = serializers.CharField(required=False, allow_blank=True, default="")
    report = IdField(required=False, allow_null=True)

    def validate_value(self, value):
        try:
            return parse_decimal(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def validate(self, attrs):
        if bool(attrs.get("indicator")) == bool(attrs.get("component")):
            raise serializers.ValidationError("Gửi đúng một trong hai: indicator hoặc component.")
        return attrs


class FigureUpdateSerializer(FigureWriteSerializer):
    year = IdField(required=False)

    def validate(self, attrs):
        return attrs


# --- Views ----------------------------------------------------------------------------------------------------


class IndicatorFilter(filters.FilterSet):
    plan = IdFilter(field_name="target__plan_id")
    provider = IdFilter(field_name="provider_id")

    class Meta:
        model = IndicatorDefinition
        fields = ["plan", "kind", "provider"]


class FigureFilter(filters.FilterSet):
    plan = IdFilter(field_name="definition__target__plan_id")
    indicator = IdFilter(field_name="definition_id")
    component = IdFilter(field_name="component_id")
    year = IdFilter()
    agency = IdFilter(field_name="agency_id")
    report = IdFilter(field_name="report_id")

    class Meta:
        model = YearlyFigure
        fields = ["plan", "indicator", "component", "year", "agency", "report", "is_demo"]


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """Indicator definitions (how each target is measured). Filter with ``?plan=<id>``."""

    serializer_class = DefinitionSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = IndicatorFilter

    def get_queryset(self):
        qs = (
            IndicatorDefinition.objects.for_user(self.request.user)
            .select_related("target", "provider")
            .prefetch_related(
                Prefetch("components", queryset=IndicatorComponent.objects.select_related("provider"))
            )
            .order_by("target__plan", "target__order")
        )
        return qs

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def series(self, request, pk=None):
        """The indicator's values by year (computed ones derived from their components), the status of each year
        and the projection to the target year with its method."""
        definition = definition_get_for_user(user=request.user, pk=pk)
        view = target_indicator_view(target=definition.target, user=request.user)
        points = []
        for year, point in sorted(view.points.items()):
            verdict = view.verdict(year)
            points.append(
                {
                    "year": year,
                    "value": point.value,
                    "problem": point.problem,
                    "is_demo": point.is_demo,
                    "status": verdict.status.value,
                    "status_label": verdict.label,
                    "expected": verdict.expected,
                    "assessed_value": verdict.value,
                    "reason": verdict.reason,
                    "figures": [f.pk for f in point.figures],
                }
            )
        projection = view.projection
        return Response(
            {
                "indicator": definition.pk,
                "target": definition.target.code,
                "unit": definition.unit,
                "points": points,
                "projection": {
                    "year": projection.year,
                    "value": projection.value,
                    "meets": projection.meets,
                    "method": projection.method,
                },
            }
        )


class FigureViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Yearly figures. ``POST`` records (or corrects) the figure of a direct indicator or of a component for a
    year; a jump past the threshold without ``explanation`` answers 400 with ``code: "jump"``.
    Filters: ``?plan=``, ``?indicator=``, ``?component=``, ``?year=``."""

    serializer_class = FigureSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = FigureFilter

    def get_queryset(self):
        qs = (
            YearlyFigure.objects.for_user(self.request.user)
            .select_related("entered_by", "agency")
            .order_by("definition_id", "component_id", "year")
        )
        return qs

    def get_object(self):
        write = self.request.method not in ("GET", "HEAD", "OPTIONS")
        return figure_get_for_user(user=self.request.user, pk=self.kwargs["pk"], write=write)

    def _report(self, report_id):
        if not report_id:
            return None
        return report_get_for_user(user=self.request.user, pk=report_id)

    def _record(self, *, series, year, data, status_code):
        try:
            figure = figure_record(
                actor=self.request.user,
                indicator=series,
                year=year,
                value=data["value"],
                source_note=data.get("source_note", ""),
                explanation=data.get("explanation", ""),
                report=self._report(data.get("report")),
            )
        except JumpNeedsExplanation as exc:
            return Response(
                {
                    "explanation": exc.messages,
                    "code": "jump",
                    "previous": exc.previous,
                    "previous_year": exc.previous_year,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            return Response({"value": exc.messages, "code": exc.code}, status=status.HTTP_400_BAD_REQUEST)
        return Response(FigureSerializer(figure).data, status=status_code)

    @extend_schema(request=FigureWriteSerializer, responses={201: FigureSerializer})
    def create(self, request, *args, **kwargs):
        write = FigureWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = write.validated_data
        if data.get("component"):
            component = (
                IndicatorComponent.objects.select_related("definition__target__plan")
                .filter(
                    definition__in=IndicatorDefinition.objects.for_user(request.user), pk=data["component"]
                )
                .first()
            )
            if component is None:
                raise NotFound
            series = component
        else:
            series = definition_get_for_user(user=request.user, pk=data["indicator"])
        return self._record(series=series, year=data["year"], data=data, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=FigureUpdateSerializer, responses=FigureSerializer)
    def update(self, request, *args, **kwargs):
        figure = self.get_object()
        payload = {
            "value": str(figure.value),
            "source_note": figure.source_note,
            "explanation": figure.explanation,
        }
        payload.update(
            {
                key: request.data[key]
                for key in ("value", "source_note", "explanation", "report")
                if key in request.data
            }
        )
        write = FigureUpdateSerializer(data=payload)
        write.is_valid(raise_exception=True)
        data = write.validated_data
        return self._record(
            series=figure.component or figure.definition,
            year=figure.year,
            data=data,
            status_code=status.HTTP_200_OK,
        )

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    def perform_destroy(self, instance):
        try:
            figure_delete(actor=self.request.user, figure=instance)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            raise PermissionDenied(exc.messages[0]) from exc
