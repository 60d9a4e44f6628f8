from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("office/c/<slug:campaign_key>/", views.office, name="office"),
    path("office/c/<slug:campaign_key>/review/", views.queue, name="queue"),
    path("office/n/<uuid:uid>/", views.review, name="nomination"),
    path("office/n/<uuid:uid>/accept/", views.accept, name="accept"),
    path("office/n/<uuid:uid>/return/", views.send_back, name="return"),
    path("office/n/<uuid:uid>/flags/<int:pk>/", views.decide_flag, name="flag"),
]
