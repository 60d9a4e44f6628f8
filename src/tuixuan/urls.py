from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "推选 · 科技志愿服务先进典型推选宣传"
admin.site.site_title = "推选管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Until the unit portal exists (issue 3), the front door is the organiser's back office.
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
