"""REDIS_URL: the API throttle counts once for every process, as several gunicorn workers need."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

REDIS_URL = "redis://127.0.0.1:6379/15"
# One process's anonymous requests to the API root (no database needed), as their status codes.
REQUESTS = """
import json, sys, django
django.setup()
from django.test import Client
client = Client()
print(json.dumps([client.get("/api/v1/").status_code for _ in range(int(sys.argv[1]))]))
"""


def statuses(requests: int, **env) -> list[int]:
    """A separate process, with its own cache connection, makes `requests` requests."""
    result = subprocess.run(
        [sys.executable, "-c", REQUESTS, str(requests)], cwd=settings.BASE_DIR,
        env={**{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
             "API_ANON_RATE": "3/minute", **env}, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def redis_url():
    """An empty Redis database; missing Redis fails CI, skips elsewhere."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.flushdb()
    except redis.ConnectionError:
        message = f"the shared-cache tests need Redis at {REDIS_URL}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    yield REDIS_URL
    connection.flushdb()


def test_with_redis_url_processes_share_the_throttle(redis_url):
    assert statuses(3, REDIS_URL=redis_url) == [200, 200, 200]
    assert statuses(1, REDIS_URL=redis_url) == [429]


def test_without_redis_url_each_process_counts_alone():
    assert statuses(4) == [200, 200, 200, 429]
    assert statuses(1) == [200]
