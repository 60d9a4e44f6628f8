from django.urls import path

from . import views

app_name = "units"

urlpatterns = [
    path("account/profile/", views.profile, name="profile"),
    path("office/c/<slug:campaign_key>/units/", views.extensions, name="extensions"),
]
