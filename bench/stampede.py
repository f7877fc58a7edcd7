#!/usr/bin/env python3
"""N identical cold asks released at once (one connection each); prints one JSON line.

Usage: stampede.py URL N QUERY [CALLER_KEY]. Each thread connects first, then all send together.
coalesced is the change in /healthz/cache's coalesced count when the service reports one."""
import http.client, json, sys, threading, time
from urllib.parse import urlsplit

url, count, query = sys.argv[1], int(sys.argv[2]), sys.argv[3]
key = sys.argv[4] if len(sys.argv) > 4 else ""
parts = urlsplit(url)
headers = {"Content-Type": "application/json"}
if key:
    headers["Authorization"] = "Bearer " + key
body = json.dumps({"query": query})
barrier = threading.Barrier(count)
results = [None] * count


def cache_stats():
    try:
        c = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        c.request("GET", "/healthz/cache")
        data = json.loads(c.getresponse().read())
        return data if isinstance(data, dict) else {}
    except Exception:
        return {}


def ask(i):
    c = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    c.connect()
    barrier.wait()
    started = time.perf_counter()
    try:
        c.request("POST", parts.path, body=body, headers=headers)
        r = c.getresponse()
        payload = r.read()
        cached = False
        if 200 <= r.status < 300:
            cached = bool(json.loads(payload).get("cached"))
        results[i] = (r.status, (time.perf_counter() - started) * 1e6, cached)
    except Exception:
        results[i] = (0, (time.perf_counter() - started) * 1e6, False)
    finally:
        c.close()


before = cache_stats()
threads = [threading.Thread(target=ask, args=(i,)) for i in range(count)]
wall = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
wall = time.perf_counter() - wall
after = cache_stats()
latencies = sorted(r[1] for r in results)
pick = lambda q: int(latencies[min(len(latencies) - 1, int(q * len(latencies)))])
coalesced = after.get("coalesced", 0) - before.get("coalesced", 0) if "coalesced" in after else None
print(json.dumps({
    "durationUs": int(wall * 1e6), "requests": count,
    "errors": {"connect": 0, "read": sum(1 for r in results if r[0] == 0), "write": 0,
               "status": sum(1 for r in results if r[0] and not 200 <= r[0] < 300), "timeout": 0},
    "latencyUs": {"min": int(latencies[0]), "mean": sum(latencies) / count, "max": int(latencies[-1]),
                  "p50": pick(0.5), "p90": pick(0.9), "p99": pick(0.99), "p999": pick(0.999)},
    "cachedAnswers": sum(1 for r in results if r[2]), "coalesced": coalesced,
}))
