#!/usr/bin/env python3
"""Braid's own share of each recommendation request: end-to-end latency seen by the client minus the slowest source's
latency as Braid measured it (the envelope's sources.*.latency_ms). Usage: overhead.py API REQUESTS CONCURRENCY."""
import json
import sys
import threading
import time
import urllib.request

api, total, concurrency = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
results, lock, counter = [], threading.Lock(), [0]


def worker():
    while True:
        with lock:
            if counter[0] >= total:
                return
            counter[0] += 1
            n = counter[0]
        started = time.perf_counter()
        with urllib.request.urlopen(f"{api}/v1/recommendations?user=u{n % 200 + 1}&n=20") as response:
            body = json.load(response)
        took = (time.perf_counter() - started) * 1000
        slowest = max((s["latency_ms"] for s in body["sources"].values() if s["status"] != "skipped"), default=0)
        with lock:
            results.append((took, slowest, body["partial"]))


threads = [threading.Thread(target=worker) for _ in range(concurrency)]
for t in threads:
    t.start()
for t in threads:
    t.join()


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


end_to_end = [r[0] for r in results]
overhead = [r[0] - r[1] for r in results]
print(f"requests {len(results)}, concurrency {concurrency}, partial {sum(1 for r in results if r[2])}")
for p in (50, 90, 99):
    print(f"p{p}: end-to-end {pct(end_to_end, p):.1f} ms, slowest source {pct([r[1] for r in results], p):.0f} ms, "
          f"overhead {pct(overhead, p):.1f} ms")
