#!/usr/bin/env python3
"""bin/bench suite: every benchmark row in one go, against bin/dev sessions this script starts and stops itself, and a
Markdown table of requests/s, p50, p99, p99.9 and errors per row, each with its ratio to the bare Helidon handler
(bin/bare answering the same bytes as a signed-in page) measured in the same run.

Rows with tracing on export to an OTLP sink in this script. Below the table: the heap allocated per signed-in L1 hit (JFR's GC heap summaries over a run of its own: what the
heap grew by between collections, per request answered meanwhile, every thread included), the exposures dropped, and
the fan-out's own overhead over its slowest source (bin/bench.d/overhead.py, every request a miss).

Usage: bin/bench.d/suite.py DURATION CONNECTIONS   (run it as: bin/bench suite [DURATION] [CONNECTIONS])
Environment: BENCH_WARMUP (10s) before each row; BENCH_PORT (18700) the first of the ports the sessions use;
BENCH_REPLICAS (3) the replicas of each bin/dev session (the load goes to the first; the others share its Redis and
see its invalidations, as in a deployment).
"""
import datetime
import http.server
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DURATION = sys.argv[1] if len(sys.argv) > 1 else "20s"
CONNECTIONS = sys.argv[2] if len(sys.argv) > 2 else "32"
WARMUP = os.environ.get("BENCH_WARMUP", "10s")
PORT = int(os.environ.get("BENCH_PORT", "18700"))
REPLICAS = os.environ.get("BENCH_REPLICAS", "3")
API, ADMIN, SIM = PORT, PORT + 100, PORT + 200
REPORT = os.path.join(ROOT, "bin/bench.d/report.lua")
USERS = os.path.join(ROOT, "bin/bench.d/users.lua")


def log(message):
    print(f"bin/bench suite: {message}", file=sys.stderr, flush=True)


def start_dev(env, *options):
    """bin/dev on the suite's ports; returns the process once it printed BRAID READY."""
    process = subprocess.Popen([os.path.join(ROOT, "bin/dev"), "--port", str(API), "--admin-port", str(ADMIN),
                                "--sim-port", str(SIM), "--replicas", REPLICAS, *options], cwd=ROOT, env={**os.environ, **env},
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    deadline = time.time() + 300
    for line in process.stdout:
        if line.startswith("BRAID READY"):
            return process
        if time.time() > deadline:
            break
    stop(process)
    raise SystemExit("bin/bench suite: bin/dev did not get ready")


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def cache_outcomes():
    """The first replica's recommendation-cache outcomes so far, by event (hit-l1, hit-l2, stale, miss, ...)."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{ADMIN}/observe/metrics").read().decode()
    return {m.group(1): float(m.group(2)) for m in
            re.finditer(r'braid_cache_total\{cache="recommendations",event="([^"]+)"[^}]*\} (\S+)', text)}


def hit_share(before, after):
    """Of the lookups between two readings, the shares answered from this replica's memory and from Redis."""
    moved = {event: after.get(event, 0) - before.get(event, 0) for event in ("hit-l1", "hit-l2", "stale", "miss")}
    total = sum(moved.values()) or float("nan")
    return moved["hit-l1"] / total, moved["hit-l2"] / total


def warm(api, users=200, passes=10):
    """Asks for every demo user's list until each answer is complete, so that the hit rows measure hits: from a cold
    cache, 32 connections of misses on two cores time sources out, and partial lists are kept only briefly."""
    pending = [f"u{i}" for i in range(1, users + 1)]
    for attempt in range(passes):
        still = []
        for user in pending:
            body = json.loads(urllib.request.urlopen(f"{api}/v1/recommendations?user={user}&n=20").read())
            if body.get("partial") or body.get("degraded"):
                still.append(user)
        pending = still
        if not pending:
            break
        time.sleep(2)   # breakers half-open and quotas refill on their own clocks
    log(f"warmed: {users - len(pending)} of {users} users' lists complete")


def wrk(url, script_lines, method_script=None, warmup=True, env=None, count_cache=False):
    """One warm-up run (unless told not to), then the measured one; the figures report.lua prints (and with count_cache,
    the share of recommendation lookups that were memory hits while it ran)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(open(REPORT).read())
        if method_script:
            script.write(method_script)
        script.write("\n".join(script_lines))
        path = script.name
    try:
        base = ["wrk", "-t2", f"-c{CONNECTIONS}", "-s", path, url]
        if warmup:
            subprocess.run(base[:2] + [base[2], f"-d{WARMUP}"] + base[3:], cwd=ROOT, capture_output=True, check=True,
                           env={**os.environ, **(env or {})})
        before = cache_outcomes() if count_cache else None
        out = subprocess.run(base[:2] + [base[2], f"-d{DURATION}"] + base[3:], cwd=ROOT, capture_output=True,
                             text=True, check=True, env={**os.environ, **(env or {})}).stdout
        share = hit_share(before, cache_outcomes()) if count_cache else None
    finally:
        os.unlink(path)
    figures = {"rps": float(re.search(r"requests/s (\S+)", out).group(1)), "l1": share}
    for p in ("50", "99", "99.9"):
        figures["p" + p] = float(re.search(rf"p{re.escape(p)} (\S+) ms", out).group(1))
    errors = re.search(r"non-2xx (\d+), socket errors (\d+)", out)
    figures["errors"] = int(errors.group(1)) + int(errors.group(2))
    return figures


def users_path(path):
    """A request per demo user in turn (u1..u200): the users.lua rotation."""
    return [f'wrk.path = "{path}"', open(USERS).read()]


def events_script():
    """POST /v1/events: batches of 10 events by the demo users, stamped now (bin/bench.d/events.lua)."""
    return [open(os.path.join(ROOT, "bin/bench.d/events.lua")).read()]


def allocation_per_request(dev, url, script_lines):
    """Bytes allocated per request while wrk loads url: JFR's heap summaries give what the heap grew by between one
    collection's end and the next one's start, over how long; divided by the requests answered per second."""
    recording = os.path.join(ROOT, "target/bench-allocation.jfr")
    subprocess.run(["jcmd", str(dev.pid), "JFR.start", "name=bench-allocation", "settings=default",
                    f"filename={recording}"], capture_output=True, check=True)
    try:
        figures = wrk(url, script_lines, warmup=False)
    finally:
        subprocess.run(["jcmd", str(dev.pid), "JFR.stop", "name=bench-allocation"], capture_output=True, check=True)
    printed = subprocess.run(["jfr", "print", "--json", "--events", "jdk.GCHeapSummary", recording],
                             capture_output=True, text=True, check=True).stdout
    summaries = sorted(json.loads(printed)["recording"]["events"], key=lambda e: (e["values"]["gcId"],
                                                                                 e["values"]["when"] != "Before GC"))
    grown, seconds = 0, 0.0
    for after, before in zip(summaries, summaries[1:]):
        if after["values"]["when"] == "After GC" and before["values"]["when"] == "Before GC":
            grown += before["values"]["heapUsed"] - after["values"]["heapUsed"]
            seconds += (parse_time(before["values"]["startTime"]) - parse_time(after["values"]["startTime"])).total_seconds()
    return grown / seconds / figures["rps"] if seconds > 0 else float("nan")


def parse_time(text):
    """JFR's JSON start times (nanoseconds, offset) as a datetime; Python reads microseconds."""
    text = re.sub(r"(\.\d{6})\d*", r"\1", text)
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


class SpanSink(http.server.BaseHTTPRequestHandler):
    """An OTLP/HTTP collector that takes every export and keeps nothing: the tracing rows' exporter needs one."""
    exports = 0

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        SpanSink.exports += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def exposures_so_far():
    """The first replica's exposures written and dropped so far."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{ADMIN}/observe/metrics").read().decode()
    counts = dict(re.findall(r'braid_exposures_total\{result="(written|dropped)"[^}]*\} (\S+)', text))
    return float(counts.get("written", 0)), float(counts.get("dropped", 0))


def shares(l1_l2):
    return f"{l1_l2[0] * 100:.1f} % / {l1_l2[1] * 100:.1f} %"


def row(rows, name, figures, exposures_before=None):
    rows.append((name, figures))
    if exposures_before is not None:
        written, dropped = exposures_so_far()
        log(f"{name}: exposures written {written - exposures_before[0]:.0f}, dropped {dropped - exposures_before[1]:.0f}")
    share = "" if figures.get("l1") is None else f", hits {shares(figures['l1'])}"
    log(f"{name}: {figures['rps']:.0f} req/s, p50 {figures['p50']:.2f} ms, p99 {figures['p99']:.2f} ms{share}")


def signed_in_session(rows, title, name, env, *options):
    """A bin/dev session of its own measuring one row: signed-in users in turn."""
    log(title)
    dev = start_dev(env, *options)
    try:
        warm(f"http://127.0.0.1:{API}")
        row(rows, name, wrk(f"http://127.0.0.1:{API}/", users_path("/v1/recommendations?user=u%d&n=20"),
                            count_cache=True))
    finally:
        stop(dev)


def main():
    api = f"http://127.0.0.1:{API}"
    rows = []
    no_limits = {"RATE_dash_LIMITS_ENABLED": "false"}

    log("session 1: bin/dev, rate limits off (one client address would meet its own limit)")
    dev = start_dev(no_limits)
    try:
        page = urllib.request.urlopen(f"{api}/v1/recommendations?user=u1&n=20").read()
        with open(os.path.join(ROOT, "target/bench-page.json"), "wb") as saved:
            saved.write(page)
        signed_in = users_path("/v1/recommendations?user=u%d&n=20")
        warm(api)
        before = exposures_so_far()
        row(rows, "signed-in L1 hit (u1..u200, n=20)", wrk(api + "/", signed_in, count_cache=True), before)
        before = exposures_so_far()
        allocation = allocation_per_request(dev, api + "/", signed_in)
        written, dropped = exposures_so_far()
        log(f"allocation per signed-in L1 hit: {allocation / 1024:.1f} KB; exposures written "
            f"{written - before[0]:.0f}, dropped {dropped - before[1]:.0f}")
        before = exposures_so_far()
        row(rows, "anonymous L1 hit (n=20)", wrk(api + "/v1/recommendations?n=20", [], count_cache=True), before)
        row(rows, "search (q, filter, facets)",
            wrk(api + "/v1/search?q=rain%20jacket&filter.category=jackets&price_max=200&size=20", []))
        row(rows, "feed, first pages", wrk(api + "/", users_path("/v1/feed?user=u%d&size=20")))
        row(rows, "events (10 per POST)", wrk(api + "/", events_script()))
        row(rows, "events with Idempotency-Key (10 per POST)", wrk(api + "/", events_script(), env={"BENCH_KEYED": "1"}))
        exposures = urllib.request.urlopen(f"http://127.0.0.1:{ADMIN}/observe/metrics").read().decode()
        dropped = re.search(r'braid_exposures_total\{result="dropped"[^}]*\} (\S+)', exposures)
        written = re.search(r'braid_exposures_total\{result="written"[^}]*\} (\S+)', exposures)
        exposure_counts = (f"{float(dropped.group(1)) if dropped else 0:.0f} dropped of "
                           f"{float(written.group(1)) if written else 0:.0f} written")
        log(f"exposures in session 1: {exposure_counts}")
    finally:
        stop(dev)

    # Right after the rows it is the yardstick of, on the machine as they found it.
    log("the bare Helidon handler, answering the saved signed-in page")
    bare = subprocess.Popen([os.path.join(ROOT, "bin/bare"), str(API), os.path.join(ROOT, "target/bench-page.json")],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            start_new_session=True)
    try:
        for line in bare.stdout:
            if line.startswith("BARE READY"):
                break
        bare_figures = wrk(api + "/", [])
    finally:
        stop(bare)

    signed_in_session(rows, "session 2: bin/dev, rate limits on (as deployed)", "signed-in L1 hit, rate limits on", {})
    signed_in_session(rows, "session 3: bin/dev with generational ZGC instead of G1", "signed-in L1 hit, ZGC",
                      {**no_limits, "JAVA_OPTS": "-XX:+UseZGC"})
    signed_in_session(rows, "session 4: bin/dev --no-l1 (the Redis tier alone)", "Redis-tier hit (--no-l1)", no_limits,
                      "--no-l1")

    # Lists kept 1 ms: every request makes its list as a miss does (fan-out, blend, hydration from the items cache, the
    # list written to both tiers), where turning the cache off would also send every hydration to OpenSearch.
    log("session 5: bin/dev keeping lists 1 ms (every request fans out to every source)")
    dev = start_dev({**no_limits, "CACHE_RECOMMENDATIONS_FRESH": "1ms", "CACHE_RECOMMENDATIONS_KEEP": "1ms",
                     "CACHE_SHORT_dash_LIVED": "1ms", "CACHE_EARLY_dash_REFRESH": "0"})
    try:
        row(rows, "full fan-out miss", wrk(api + "/", users_path("/v1/recommendations?user=u%d&n=20")))
        overhead = subprocess.run([sys.executable, os.path.join(ROOT, "bin/bench.d/overhead.py"), api, "3000", "4"],
                                  capture_output=True, text=True, check=True).stdout
        log("fan-out overhead: " + overhead.replace("\n", "; "))
    finally:
        stop(dev)

    sink = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SpanSink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    for ratio, name in (("0.01", "1%"), ("1.0", "100%")):
        signed_in_session(rows, f"session: bin/dev tracing {name} of requests to an OTLP sink",
                          f"signed-in L1 hit, {name} traced",
                          {**no_limits, "TRACING_EXPORTER": "otlp", "TRACING_SAMPLE_dash_RATIO": ratio,
                           "TRACING_ENDPOINT": f"http://127.0.0.1:{sink.server_address[1]}/v1/traces"})
    sink.shutdown()
    log(f"span exports received: {SpanSink.exports}")

    print(f"\n`bin/bench suite {DURATION} {CONNECTIONS}` on {os.cpu_count()} cores, bin/dev --replicas {REPLICAS}, "
          f"wrk -t2 -c{CONNECTIONS}, {WARMUP} warm-up per row, {len(page)}-byte page\n")
    print("| row | req/s | p50 ms | p99 ms | p99.9 ms | errors | hits L1 / Redis | × bare |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, f in [("bare Helidon handler, same bytes", bare_figures)] + rows:
        ratio = f["rps"] / bare_figures["rps"]
        share = "" if f.get("l1") is None else shares(f["l1"])
        print(f"| {name} | {f['rps']:.0f} | {f['p50']:.2f} | {f['p99']:.2f} | {f['p99.9']:.2f} | {f['errors']} "
              f"| {share} | {ratio:.2f} |")
    print(f"\n- allocation per signed-in L1 hit: {allocation / 1024:.1f} KB (heap growth between collections, every "
          f"thread, per request)")
    print(f"- exposures while session 1 ran: {exposure_counts}")
    print("- fan-out overhead over the slowest source (overhead.py, every request a miss, 3000 requests, 4 at a time):")
    for line in overhead.strip().splitlines():
        print(f"  - {line}")


if __name__ == "__main__":
    main()
