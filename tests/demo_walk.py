"""Walks the demo portal as each kind of user, following the links its pages show, and prints
every page that did not answer as a link promises (JSON, one line). Run against a database that
`seed_demo` filled: `python -m tests.demo_walk`.

A page shape (its path with the numbers taken out) is visited a few times in bokmål and once in
nynorsk and English, not once per row, so the walk stays short and still reaches every kind of
page in every language.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, deque
from urllib.parse import urlsplit

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

WHO = {
    "anonymous": None,
    "business": "bedrift1@demo.no",
    "provider": "kurs1@demo.no",
    "adviser": "radgiver@demo.no",
}
START = {
    "anonymous": ["/", "/api/v1/offers/"],
    "business": ["/"],
    "provider": ["/", "/api/v1/offers/"],
    "adviser": ["/", "/api/v1/needs/", "/api/v1/matches/", "/api/v1/cohorts/"],
}
# Signing out ends the walk's session; the language switch and static files are not pages.
SKIP = ("/accounts/logout", "/i18n/", "/static/", "/media/", "/admin/")
PER_SHAPE = {"nb": 3, "nn": 1, "en": 1}
MAX_PAGES = 400
LINK = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')


def shape(url: str) -> str:
    parts = urlsplit(url)
    query_keys = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(query_keys)


def walk(role: str, language: str) -> tuple[int, list[dict]]:
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if WHO[role]:
        client.force_login(get_user_model().objects.get(email=WHO[role]))
    queue = deque(START[role])
    seen: set[str] = set(queue)
    per_shape: Counter[str] = Counter()
    problems: list[dict] = []
    visited = 0
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        visited += 1
        response = client.get(url)
        if response.status_code >= 400:
            problems.append({"who": role, "language": language, "url": url,
                             "status": response.status_code})
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(response.content.decode()):
            link = link.replace("&amp;", "&")
            if link in seen or link.startswith(SKIP):
                continue
            seen.add(link)
            kind = shape(link)
            if per_shape[kind] < PER_SHAPE[language]:
                per_shape[kind] += 1
                queue.append(link)
    return visited, problems


def main() -> int:
    report = {"visited": {}, "problems": []}
    for language in PER_SHAPE:
        for role in WHO:
            visited, problems = walk(role, language)
            report["visited"][f"{role} {language}"] = visited
            report["problems"] += problems
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
