from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tuixuan.api.api import api

admin.site.site_header = "推选 · 科技志愿服务先进典型推选宣传"
admin.site.site_title = "推选管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/v1/", api.urls),
    path("", include("tuixuan.showcase.urls")),
    path("", include("tuixuan.review.urls")),
    path("", include("tuixuan.documents.urls")),
    path("", include("tuixuan.nominations.urls")),
]

handler400 = "tuixuan.common.views.bad_request"
handler500 = "tuixuan.common.views.server_error"
