"""How much a gunicorn worker's memory grows when a unit uploads 9 MB of photos in one request.

    .venv/bin/python bench/upload_memory.py [--photos 3] [--photo-bytes 3145728] [--rounds 2]

Starts gunicorn (1 sync worker, production settings) against a throw-away SQLite database, logs
in as a unit member through the login page, and uploads three 3 MB JPEGs (the G6 maximum: 3 photos
of at most 3 MB each) to one draft nomination in one request, as the form does. The baseline,
in the same run and the same worker just before, is a request that uploads nothing: saving the
same nomination's form (also followed by the edit page). Each is read from /proc: the resident set
(VmRSS) after the request and its peak during it (VmHWM, first reset to VmRSS, so that the
100 MB argon2 takes at login does not hide it). Round 1 is the worker's first upload (imports
Pillow's decoders); later rounds use a fresh nomination in the same worker. Target: growth < 20 MB.
"""

import argparse
import os
import secrets
import shutil
from datetime import timedelta

from workspace import ROOT, workspace

WORK, ENV = workspace("upload", served=True)

from browser import Browser, free_port, memory_kb, reset_peak, start_gunicorn, workers_of  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from tests.conftest import valid_values  # noqa: E402
from tests.fixtures.images import jpeg_of_size  # noqa: E402
from tests.nominations.formdata import post_data  # noqa: E402

from tuixuan.campaigns.loader import load_campaign_file  # noqa: E402
from tuixuan.nominations import services  # noqa: E402
from tuixuan.units.models import Participation, RecommendingUnit, Role, RoleKind  # noqa: E402

PASSWORD = "upload-" + secrets.token_hex(8)
MB = 1048576


def setup(rounds):
    call_command("migrate", verbosity=0)
    load_campaign_file(ROOT / "campaigns" / "national-2024-example.toml")  # gx-2024's parent
    campaign = load_campaign_file(ROOT / "campaigns" / "gx-2024.toml")
    unit = RecommendingUnit.objects.create(code="bench", name="南宁市科协", kind="city_cast")
    Participation.objects.create(
        campaign=campaign, unit=unit, extension_until=timezone.now() + timedelta(days=1)
    )
    user = get_user_model().objects.create_user("bench", password=PASSWORD)
    Role.objects.create(user=user, kind=RoleKind.UNIT_MEMBER, unit=unit)
    category = campaign.categories.get(key="volunteer")  # up to 3 photos
    drafts = []
    for n in range(rounds):
        values = valid_values("volunteer")
        values["name"] = f"{values['name']}{n}"
        drafts.append(
            services.create_nomination(
                user, campaign=campaign, category=category, unit=unit, values=values
            )
        )
    return drafts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=3)
    parser.add_argument("--photo-bytes", type=int, default=3 * MB)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    drafts = setup(options.rounds)
    photos = [
        jpeg_of_size(options.photo_bytes, seed=seed, dimensions=(320, 240))
        for seed in range(options.photos)
    ]
    port = free_port()
    log = open(WORK / "gunicorn.log", "wb")  # noqa: SIM115
    server = start_gunicorn(port, 1, ENV, log)
    try:
        (worker,) = workers_of(server.pid)
        browser = Browser(port)

        def memory():
            return memory_kb(worker, "VmRSS") / 1024, memory_kb(worker, "VmHWM") / 1024

        browser.get("login page", "/accounts/login/")
        login = browser.post(
            "login",
            "/accounts/login/",
            {"username": "bench", "password": PASSWORD, "next": "/"},
            follow="home",
        )
        assert login.status == 302, f"login refused ({login.status})"
        print(
            f"gunicorn 1 sync worker; {options.photos} photos of {options.photo_bytes / MB:.1f} MB "
            f"= {options.photos * options.photo_bytes / MB:.1f} MB in one request; "
            f"{os.cpu_count()} cores"
        )
        print(f"  after login: RSS {memory()[0]:.1f} MB, peak {memory()[1]:.1f} MB (argon2)")
        for number, draft in enumerate(drafts, 1):
            path = f"/n/{draft.uid}/"
            browser.get("edit page", path)
            reset_peak(worker)
            before = memory()
            saved = browser.post("save", path, post_data(draft.values), follow="edit page")
            after_save = memory()
            reset_peak(worker)
            files = [("photos", f"photo-{k}.jpg", data) for k, data in enumerate(photos)]
            uploaded = browser.post("upload", path + "photos/", {}, files=files, follow="edit page")
            after_upload = memory()
            assert saved.status == 302, f"save refused ({saved.status})"
            assert uploaded.status == 302, f"upload refused ({uploaded.status})"
            print(f"\n  round {number}{' (first upload in this worker)' if number == 1 else ''}:")
            print(
                f"    baseline, form saved, no files: RSS {after_save[0] - before[0]:+6.1f} MB, "
                f"peak {after_save[1] - before[0]:+6.1f} MB"
            )
            print(
                f"    {options.photos * options.photo_bytes / MB:.0f} MB of photos uploaded:"
                f"       RSS {after_upload[0] - after_save[0]:+6.1f} MB, "
                f"peak {after_upload[1] - after_save[0]:+6.1f} MB   (target < 20 MB)"
            )
            print(f"    worker now: RSS {after_upload[0]:.1f} MB")
        browser.close()
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(WORK)


if __name__ == "__main__":
    main()
