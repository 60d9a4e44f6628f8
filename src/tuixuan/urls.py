from django.contrib import admin
from django.urls import path

admin.site.site_header = "推选 · 科技志愿服务先进典型推选宣传"
admin.site.site_title = "推选管理"

urlpatterns = [
    path("admin/", admin.site.urls),
]
