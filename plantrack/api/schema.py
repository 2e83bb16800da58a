"""The OpenAPI schema documents the refusals too: each operation lists the 4xx answers it can give, with the
shared error bodies of plantrack.api.errors."""

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

from plantrack.core.api_errors import ConflictSerializer, ErrorSerializer, ValidationErrorSerializer

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class AutoSchema(BaseAutoSchema):
    def _get_request_for_media_type(self, serializer, direction="request"):
        # drf-spectacular shows a PATCH body with every field optional, as DRF's partial update would take it. A
        # view that validates its PATCH body whole (the report draft: ``version`` is required) says so with
        # ``partial_request_schema = False``, and the schema then shows the fields it requires.
        if self.method == "PATCH" and getattr(self.view, "partial_request_schema", True) is False:
            self.method = "POST"
            try:
                return super()._get_request_for_media_type(serializer, direction)
            finally:
                self.method = "PATCH"
        return super()._get_request_for_media_type(serializer, direction)

    def _error_responses(self) -> dict[str, OpenApiResponse]:
        errors: dict[str, OpenApiResponse] = {}
        public = any(isinstance(p, AllowAny) for p in self.view.get_permissions())
        if self.method in WRITE_METHODS:
            errors["400"] = OpenApiResponse(ValidationErrorSerializer, "Dữ liệu gửi lên không hợp lệ.")
        if not public:
            errors["401"] = OpenApiResponse(
                ErrorSerializer, "Chưa đăng nhập, hoặc mã truy cập sai hay hết hạn."
            )
        errors["403"] = OpenApiResponse(ErrorSerializer, "Không được phép.")
        if "{" in self.path:
            errors["404"] = OpenApiResponse(ErrorSerializer, "Không có, hoặc người dùng không được xem.")
        if self.method in WRITE_METHODS and not public:
            errors["409"] = OpenApiResponse(
                ConflictSerializer,
                "Báo cáo đã đổi từ lần đọc trước, hoặc không ở trạng thái cho thao tác này.",
            )
        errors["429"] = OpenApiResponse(ErrorSerializer, "Quá nhiều yêu cầu; thử lại sau.")
        return errors

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, response in self._error_responses().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses
