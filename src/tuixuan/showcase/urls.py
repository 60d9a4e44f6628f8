from django.urls import path

from . import views

app_name = "showcase"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("campaigns/<slug:campaign_key>/", views.campaign_page, name="campaign"),
    path(
        "campaigns/<slug:campaign_key>/forms/<slug:category_key>.docx",
        views.blank_form,
        name="blank_form",
    ),
    path("office/n/<uuid:uid>/publish/", views.publish, name="publish"),
    path("office/n/<uuid:uid>/unpublish/", views.unpublish, name="unpublish"),
    path("exemplars/", views.exemplars, name="exemplars"),
    path("exemplars/feed/", views.ExemplarFeed(), name="feed"),
    path("exemplars/<uuid:pk>/", views.exemplar, name="exemplar"),
    path(
        "exemplars/<uuid:pk>/photos/<int:order>-<int:size>.jpg",
        views.public_photo,
        name="photo",
    ),
]
