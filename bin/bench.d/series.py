#!/usr/bin/env python3
"""Series count of /observe/metrics after many requests with varied users and queries.

Usage: bin/bench.d/series.py API ADMIN [REQUESTS=10000] [USERS=1000] [QUERIES=500]
e.g.   bin/bench.d/series.py http://127.0.0.1:8080 http://127.0.0.1:9090

Sends REQUESTS requests on 4 keep-alive connections, spread over recommendations (user u<i>), searches (query
"word<j>", user u<i>), feeds and item lookups, then prints the series (non-comment lines) of /observe/metrics before
and after, and the series per metric family that grew.
"""
import http.client
import sys
import threading
import urllib.parse
from collections import Counter

api, admin = sys.argv[1], sys.argv[2]
requests = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
users = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
queries = int(sys.argv[5]) if len(sys.argv) > 5 else 500


def series():
    url = urllib.parse.urlparse(admin)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request("GET", "/observe/metrics")
    body = conn.getresponse().read().decode()
    lines = [line for line in body.splitlines() if line and not line.startswith("#")]
    return lines


def family(line):
    return line.split("{")[0].split(" ")[0]


def worker(start, step, statuses):
    url = urllib.parse.urlparse(api)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    for n in range(start, requests, step):
        user = "u%d" % (n % users + 1)
        kind = n % 4
        if kind == 0:
            path = "/v1/recommendations?user=%s&n=10" % user
        elif kind == 1:
            path = "/v1/search?q=%s&user=%s&size=5" % (urllib.parse.quote("word%d" % (n % queries)), user)
        elif kind == 2:
            path = "/v1/feed?user=%s&size=5" % user
        else:
            path = "/v1/items/i%d" % (n % 6000 + 1)
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        statuses[response.status] += 1


before = series()
statuses = Counter()
threads = [threading.Thread(target=worker, args=(i, 4, statuses)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
after = series()
print("requests: %d (%s), users: %d, queries: %d" % (requests, dict(sorted(statuses.items())), users, queries))
print("series before: %d, after: %d" % (len(before), len(after)))
grown = Counter(map(family, after)) - Counter(map(family, before))
for name, count in grown.most_common():
    print("  +%d %s" % (count, name))
