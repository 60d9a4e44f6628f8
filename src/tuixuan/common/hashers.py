"""Argon2id with the OWASP Password Storage Cheat Sheet's parameters instead of Django's.

Django's defaults (100 MiB, 2 passes, 8 lanes) cost about 0.8 s and 100 MB per login on two
cores: at a deadline, when hundreds of units log in at once, every gunicorn worker holds 100 MB
for each login and eight lanes compete with the other workers for the same cores. The cheat
sheet lists five argon2id settings that give an attacker the same work per guess, trading memory
for passes; we take the first, m=19 MiB, t=2, p=1. One lane, because a sync gunicorn worker
already is one process per core (more lanes only take cores from the other workers' requests);
19 MiB rather than 7–12 MiB with more passes, because memory is what makes a guess dear on a
GPU, and 19 MiB a login is what a worker can spare. bench/login.py measures both settings.

The algorithm's name stays ``argon2``, so stored hashes keep the standard argon2 form and every
argon2 hash verifies whatever its parameters; ``must_update`` sees other parameters, and Django
re-hashes the password with these at the next successful login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
