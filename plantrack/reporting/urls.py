from django.urls import path

from . import regime_views, views

app_name = "reporting"
urlpatterns = [
    path("", views.report_list, name="my_reports"),
    path("ky/", views.cycle_list, name="cycle_list"),
    path("ky/mo/", views.cycle_open, name="cycle_open"),
    path("ky/mo-theo-che-do/", regime_views.cycles_open_from_regime, name="cycles_open_from_regime"),
    path("ky/dot-xuat/", regime_views.adhoc_create, name="adhoc_create"),
    path("ky/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("ky/<int:pk>/sua/", views.cycle_edit, name="cycle_edit"),
    path("ky/<int:pk>/dong/", views.cycle_close, name="cycle_close"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/lich-su/", views.report_history_view, name="report_history"),
    path("<int:pk>/sua/", views.report_edit, name="report_edit"),
    path("<int:pk>/van-ban-ky/", views.report_signed_upload, name="report_signed_upload"),
    path("<int:pk>/tu-dong-luu/", views.report_autosave, name="report_autosave"),
    path("<int:pk>/gui/", views.report_submit, name="report_submit"),
    path("<int:pk>/trinh-lanh-dao/", views.report_hand_over, name="report_hand_over"),
    path("<int:pk>/tra-lai-chuyen-vien/", views.report_hand_back, name="report_hand_back"),
    path("<int:pk>/tra-lai/", views.report_return, name="report_return"),
    path("<int:pk>/tiep-nhan/", views.report_accept, name="report_accept"),
    path("<int:pk>/kien-nghi/", views.report_proposals_decide, name="report_proposals_decide"),
    path("<int:pk>/lan-gui/<int:number>/", views.submission_detail, name="submission_detail"),
    path("<int:pk>/excel/", views.report_xlsx, name="report_xlsx"),
    path("<int:pk>/excel/tai-len/", views.report_xlsx_upload, name="report_xlsx_upload"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("minh-chung/<int:pk>/xoa/", views.evidence_delete, name="evidence_delete"),
]
