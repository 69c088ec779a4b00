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
# Each request claims another client address in X-Forwarded-For, as anyone may write.
print(json.dumps([client.get("/api/v1/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 10.0.0.1")
                  .status_code for n in range(int(sys.argv[1]))]))
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


def test_a_client_cannot_choose_its_count_by_writing_x_forwarded_for():
    assert statuses(4) == [200, 200, 200, 429]  # no proxy: the socket's address counts


def test_behind_one_proxy_the_address_it_appended_counts():
    assert statuses(4, PROXY_COUNT="1") == [200, 200, 200, 429]  # all "from" 10.0.0.1
