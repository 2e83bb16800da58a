"""The API's sign-in: ``POST /api/v1/auth/token/`` with the same full login as the pages (plantrack.accounts.tokens)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from plantrack.core.api_errors import ErrorSerializer, ValidationErrorSerializer

from .tokens import TokenRefused, api_token_issue

# Which step refused, and the answer: wrong credentials or code 400 (as DRF's own token endpoint did), an account
# that must first go through the pages 403, a lockout 429.
REFUSAL_STATUS = {
    "invalid_credentials": status.HTTP_400_BAD_REQUEST,
    "otp_required": status.HTTP_400_BAD_REQUEST,
    "otp_invalid": status.HTTP_400_BAD_REQUEST,
    "otp_enrolment_required": status.HTTP_403_FORBIDDEN,
    "password_change_required": status.HTTP_403_FORBIDDEN,
    "locked_out": status.HTTP_429_TOO_MANY_REQUESTS,
}


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    otp_token = serializers.RegexField(
        r"^\d{6,8}$",
        required=False,
        allow_blank=True,
        help_text="Mã xác thực hai bước (6 chữ số), bắt buộc khi tài khoản đã bật xác thực hai bước.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Gửi trong tiêu đề: Authorization: Token <token>.")
    expiry = serializers.DateTimeField(help_text="Mã hết hạn lúc này; sau đó đăng nhập lại.")


class TokenObtainView(APIView):
    """Sign in for the API: user name, password and, when the account uses one, the TOTP code. Each call issues
    a new token that expires after a few hours (``expiry``); a password change, a deactivation or "end sessions"
    revokes every token of the account."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle, AnonRateThrottle]
    throttle_scope = "api_token"

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(ValidationErrorSerializer, "Sai tên đăng nhập, mật khẩu hoặc mã xác thực."),
            403: OpenApiResponse(ErrorSerializer, "Tài khoản phải đổi mật khẩu hoặc bật xác thực hai bước."),
            429: OpenApiResponse(ErrorSerializer, "Quá nhiều lần thử; tạm khóa."),
        },
        auth=[],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            issued = api_token_issue(
                request=request._request,  # Django's request: axes marks a lockout on it
                username=data.validated_data["username"],
                password=data.validated_data["password"],
                otp_token=data.validated_data.get("otp_token", ""),
            )
        except TokenRefused as refused:
            return Response(
                {"detail": str(refused), "code": refused.code}, status=REFUSAL_STATUS[refused.code]
            )
        return Response(TokenSerializer({"token": issued.token, "expiry": issued.record.expiry}).data)
