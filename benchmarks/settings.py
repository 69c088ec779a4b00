"""The portal's settings plus the benchmark-only trivial view (benchmarks/urls.py)."""

from cami.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
