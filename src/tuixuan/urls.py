from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from tuixuan.api.api import api
from tuixuan.common import views as common_views

admin.site.site_header = _("推选 · 科技志愿服务先进典型推选宣传")
admin.site.site_title = _("推选管理")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/v1/", api.urls),
    path("healthz", common_views.healthz, name="healthz"),
    path("livez", common_views.livez, name="livez"),
    # The footer's language switch (base.html). It is on the cached public pages, which must not
    # carry a visitor's CSRF token; it changes only the language cookie, so a forged switch
    # could at worst show a visitor the other language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("tuixuan.showcase.urls")),
    path("", include("tuixuan.review.urls")),
    path("", include("tuixuan.documents.urls")),
    path("", include("tuixuan.units.urls")),
    path("", include("tuixuan.nominations.urls")),
]

handler400 = "tuixuan.common.views.bad_request"
handler500 = "tuixuan.common.views.server_error"
