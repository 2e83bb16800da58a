from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from plantrack.core.choices import ViModelChoiceField
from plantrack.orgs.models import Agency
from plantrack.security.context import current_request
from plantrack.security.lockout import login_failures_left
from plantrack.security.models import SecurityAction
from plantrack.security.services import security_event_record

from .models import Role
from .services import user_password_reset_by_link


class AccountPasswordChangeForm(PasswordChangeForm):
    """Django's form (current password, new password twice, the configured validators); saving is done by the
    service ``user_password_change``, never by ``form.save()``."""

    def save(self, commit=True):  # pragma: no cover - guarded on purpose
        raise NotImplementedError("Use plantrack.accounts.services.user_password_change")


class OtpTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Mã xác thực (6 chữ số)"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]*",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("Mã chỉ gồm chữ số."))
        return token


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mật khẩu không đúng."))
        return password


# --- Login and password reset by e-mail ----------------------------------------------------------------------


class LoginForm(AuthenticationForm):
    """Django's login form, whose refusal says what to do and how many tries are left before the lockout."""

    def get_invalid_login_error(self):
        username = self.cleaned_data.get("username") or ""
        left = login_failures_left(request=self.request, username=username) if self.request else None
        cool_off = settings.AXES_COOLOFF_TIME
        minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
        parts = [
            _(
                "Tên đăng nhập hoặc mật khẩu không đúng. Hãy gõ lại mật khẩu (chú ý chữ hoa, chữ thường và bộ gõ "
                "tiếng Việt đang bật hay tắt)."
            )
        ]
        if left is not None:
            parts.append(
                ngettext(
                    "Còn %(left)d lần thử; sau đó đăng nhập bằng tên này từ máy này sẽ bị tạm khóa %(minutes)d phút.",
                    "Còn %(left)d lần thử; sau đó đăng nhập bằng tên này từ máy này sẽ bị tạm khóa %(minutes)d phút.",
                    left,
                )
                % {"left": left, "minutes": minutes}
            )
        parts.append(
            _("Quên mật khẩu: bấm “Quên mật khẩu?” để nhận thư đặt lại, hoặc nhờ %(helpdesk)s.")
            % {"helpdesk": settings.PLANTRACK_HELPDESK or _("quản trị hệ thống")}
        )
        return forms.ValidationError(" ".join(str(p) for p in parts), code="invalid_login")


class AccountPasswordResetForm(PasswordResetForm):
    """Django's "forgot password" form: the link in the mail starts with PLANTRACK_SITE_URL when it is set (the
    address people use, whatever host name the request came through), and each request is in the security log.
    The answer on screen is the same whether the address is known or not."""

    def save(self, *, request=None, extra_email_context=None, use_https=False, **kwargs):
        site_url = settings.PLANTRACK_SITE_URL
        if not site_url and request is not None:
            site_url = f"{'https' if use_https else 'http'}://{request.get_host()}"
        context = {**(extra_email_context or {}), "site_url": site_url}
        users = list(self.get_users(self.cleaned_data["email"]))
        super().save(request=request, extra_email_context=context, use_https=use_https, **kwargs)
        security_event_record(
            action=SecurityAction.PASSWORD_RESET_REQUESTED,
            request=request,
            target=", ".join(u.username for u in users),
            detail={"accounts": len(users)},
        )


class AccountSetPasswordForm(SetPasswordForm):
    """The new password chosen through the mailed link; saved by ``user_password_reset_by_link``."""

    def save(self, commit=True):
        user_password_reset_by_link(
            user=self.user, new_password=self.cleaned_data["new_password1"], request=current_request.get()
        )
        return self.user


# --- User management (administrators) ----------------------------------------------------------------------------


def _agency_field(required: bool = False) -> forms.ModelChoiceField:
    return ViModelChoiceField(
        label=_("Cơ quan, đơn vị"),
        queryset=Agency.objects.order_by("sort_key", "pk"),
        required=required,
        empty_label=_("— không thuộc đơn vị nào —") if not required else _("— chọn —"),
    )


class UserFilterForm(forms.Form):
    STATES = [
        ("", _("Tất cả")),
        ("active", _("Đang hoạt động")),
        ("inactive", _("Đã khóa tài khoản")),
        ("locked", _("Đang bị tạm khóa đăng nhập")),
        ("must_change", _("Chưa đổi mật khẩu tạm")),
    ]
    q = forms.CharField(label=_("Tìm"), required=False, max_length=100)
    agency = ViModelChoiceField(
        label=_("Đơn vị"),
        queryset=Agency.objects.order_by("sort_key", "pk"),
        required=False,
        empty_label=_("Tất cả"),
    )
    role = forms.ChoiceField(label=_("Vai trò"), required=False, choices=[("", _("Tất cả")), *Role.choices])
    state = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=STATES)


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        help_text=_("Cần để người dùng tự đặt lại mật khẩu khi quên."),
    )
    phone = forms.CharField(label=_("Điện thoại"), max_length=40, required=False)
    agency = _agency_field()
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices, initial=Role.REPORTER)


class UserEditForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=40, required=False)
    agency = _agency_field()
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    is_active = forms.BooleanField(
        label=_("Được đăng nhập"),
        required=False,
        help_text=_("Bỏ chọn để khóa tài khoản: các phiên đăng nhập của người này kết thúc ngay."),
    )


class UsersImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


class MembershipAddForm(forms.Form):
    """One more role for an account (accounts.Membership); the rules are checked by user_membership_add."""

    agency = _agency_field(required=True)
    role = forms.ChoiceField(
        label=_("Vai trò"),
        choices=[(r.value, r.label) for r in (Role.REPORTER, Role.HEAD, Role.COORDINATOR)],
    )
    plan = forms.ModelChoiceField(
        label=_("Kế hoạch (chỉ với điều phối)"),
        queryset=None,
        required=False,
        empty_label=_("— mọi kế hoạch đơn vị theo dõi —"),
    )
    valid_from = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # plans imports accounts, so the plan model is reached through the app registry.
        self.fields["plan"].queryset = apps.get_model("plans", "Plan").objects.order_by("-issued_on", "pk")
