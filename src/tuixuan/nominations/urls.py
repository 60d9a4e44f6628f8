from django.urls import path

from . import copy_views, views

app_name = "nominations"

urlpatterns = [
    path("my/", views.home, name="home"),  # the signed-in person's 工作台; "/" is public
    path("c/<slug:campaign_key>/u/<slug:unit_code>/", views.campaign_home, name="campaign"),
    path(
        "c/<slug:campaign_key>/u/<slug:unit_code>/new/<slug:category_key>/",
        views.create,
        name="create",
    ),
    path("n/<uuid:uid>/", views.edit, name="edit"),
    path("n/<uuid:uid>/copy/", copy_views.copy, name="copy"),
    path("n/<uuid:uid>/withdraw/", views.withdraw, name="withdraw"),
    path("n/<uuid:uid>/photos/", views.upload_photos, name="upload_photos"),
    path("n/<uuid:uid>/photos/<int:pk>/", views.photo_file, name="photo"),
    path("n/<uuid:uid>/photos/<int:pk>/delete/", views.delete_photo, name="delete_photo"),
    path("n/<uuid:uid>/photos/<int:pk>/move/", views.move_photo, name="move_photo"),
    path("n/<uuid:uid>/stamped-pdf/", views.upload_pdf, name="upload_pdf"),
    path("n/<uuid:uid>/stamped-pdf/file/", views.pdf_file, name="pdf"),
    path("n/<uuid:uid>/stamped-pdf/seal.png", views.seal_crop, name="seal_crop"),
]
