from django.urls import path

from . import expert_views, views

app_name = "review"

urlpatterns = [
    path("office/c/<slug:campaign_key>/", views.office, name="office"),
    path("office/c/<slug:campaign_key>/review/", views.queue, name="queue"),
    path(
        "office/c/<slug:campaign_key>/forward-to-parent/",
        views.forward_to_parent,
        name="forward_to_parent",
    ),
    path("office/n/<uuid:uid>/", views.review, name="nomination"),
    path("office/n/<uuid:uid>/accept/", views.accept, name="accept"),
    path("office/n/<uuid:uid>/return/", views.send_back, name="return"),
    path("office/n/<uuid:uid>/flags/<int:pk>/", views.decide_flag, name="flag"),
    path("office/c/<slug:campaign_key>/experts/", views.experts, name="experts"),
    path("office/n/<uuid:uid>/assign/", views.assign, name="assign"),
    path(
        "office/c/<slug:campaign_key>/ranking/<slug:category_key>/",
        views.ranking,
        name="ranking",
    ),
    path("office/c/<slug:campaign_key>/objections/", views.objections, name="objections"),
    path("office/objections/<int:pk>/answer/", views.answer, name="answer"),
    path("gongshi/<uuid:pk>/", views.announcement, name="announcement"),
    path("review/", expert_views.assignments, name="assignments"),
    path("review/a/<int:pk>/", expert_views.score, name="score"),
    path("review/a/<int:pk>/conflict/", expert_views.conflict, name="conflict"),
]
