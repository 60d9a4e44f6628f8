"""The project's settings with Django's own argon2 parameters (100 MiB, t=2, p=8) first.

Not a benchmark: bench/login.py serves with it to measure, in the same run, what a login cost
before tuixuan.common.hashers chose the OWASP parameters.
"""

from tuixuan.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
