"""The portal's settings plus the benchmark-only baseline views (benchmarks/urls.py)."""

from cami.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
