from django.urls import path

from . import batch_views, import_views, views

app_name = "documents"

urlpatterns = [
    path("n/<uuid:uid>/form.docx", views.form_docx, name="form_docx"),
    path("n/<uuid:uid>/form.pdf", views.form_pdf, name="form_pdf"),
    path(
        "c/<slug:campaign_key>/u/<slug:unit_code>/batch/",
        batch_views.batch_import,
        name="batch",
    ),
    path(
        "c/<slug:campaign_key>/u/<slug:unit_code>/batch/create/",
        batch_views.batch_create,
        name="batch_create",
    ),
    path(
        "c/<slug:campaign_key>/u/<slug:unit_code>/batch/<slug:category_key>.xlsx",
        batch_views.batch_template,
        name="batch_template",
    ),
    path("office/c/<slug:campaign_key>/exports/", views.exports, name="exports"),
    path("office/exports/<uuid:pk>/", views.export_detail, name="export"),
    path("office/exports/<uuid:pk>/download/", views.export_download, name="download"),
    path("office/exports/<uuid:pk>/retry/", views.export_retry, name="retry"),
    path(
        "c/<slug:campaign_key>/u/<slug:unit_code>/import-docx/",
        import_views.docx_import,
        name="docx_import",
    ),
    path(
        "c/<slug:campaign_key>/u/<slug:unit_code>/import-docx/<str:token>/",
        import_views.docx_preview,
        name="docx_preview",
    ),
]
