import json
import logging

from django.test import RequestFactory

from cami.logging import JsonFormatter


def test_log_lines_are_json_with_the_request():
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Broke %s", ("it",),
                               None)  # fmt: skip
    record.request = RequestFactory().get("/activities/1.2/")
    record.status_code = 500
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Broke it" and line["level"] == "ERROR"
    assert line["path"] == "/activities/1.2/" and line["request_method"] == "GET"
    assert line["status_code"] == 500
