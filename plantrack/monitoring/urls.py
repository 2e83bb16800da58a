from django.urls import path

from . import escalation_views, views

app_name = "monitoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("ky/<int:pk>/", views.cycle_dashboard, name="dashboard"),
    path("ky/<int:pk>/csv/", views.cycle_dashboard_csv, name="dashboard_csv"),
    path("ky/<int:pk>/nhac-han/", views.cycle_reminders, name="reminders"),
    path("ky/<int:pk>/nhac-han/gui/", views.cycle_reminders_send, name="reminders_send"),
    path("ky/<int:pk>/cong-van/moi/", views.letter_create, name="letter_create"),
    path("cong-van/<int:pk>/", views.letter_edit, name="letter_edit"),
    path("cong-van/<int:pk>/docx/", views.letter_docx, name="letter_docx"),
    path("ky/<int:pk>/bao-cao-ubnd/moi/", escalation_views.escalation_create, name="escalation_create"),
    path("bao-cao-ubnd/<int:pk>/", escalation_views.escalation_detail, name="escalation_detail"),
    path("bao-cao-ubnd/<int:pk>/docx/", escalation_views.escalation_docx_download, name="escalation_docx"),
    path("ke-hoach/<int:pk>/thoi-han/", views.task_timeliness, name="task_timeliness"),
]
