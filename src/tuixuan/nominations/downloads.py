"""A stored photo as an HTTP response, the same for the pages and the API."""

from django.http import FileResponse, Http404, HttpResponse

from .files import form_copy_bytes


def photo_response(photo, *, original: bool):
    """The original as uploaded, or (``original=False``) the smaller copy without EXIF."""
    if original:
        try:
            file = photo.file.open("rb")
        except OSError:
            raise Http404("照片文件缺失，请联系组织方。") from None
        response = FileResponse(file, content_type=photo.content_type)
    else:
        data = form_copy_bytes(photo)
        if data is None:
            raise Http404("照片文件缺失或无法显示，请联系组织方。")
        response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
