#!/usr/bin/env python3
"""Turns one bench/run.sh run (its work folder) into the table, the issue-16 target ratios and latest.json."""
import argparse, json, os, platform, statistics

parser = argparse.ArgumentParser()
parser.add_argument("--work", required=True)
parser.add_argument("--out", required=True)
parser.add_argument("--mode", default="full")
parser.add_argument("--commit", default="unknown")
parser.add_argument("--began", default="")
parser.add_argument("--load", nargs=2, default=["", ""])
parser.add_argument("--settings", default="")
args = parser.parse_args()


def read_jsonl(name):
    path = os.path.join(args.work, name)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def read_json(name):
    try:
        with open(os.path.join(args.work, name)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def cpu_percent(cpu, ticks):
    """% of one core: the target, the fakes, the load generator (wrk or the stampede), and everything else
    the machine ran meanwhile (other users of a shared machine: the noise in the figures)."""
    shares = {name: 100 * cpu[name] / ticks for name in ("target", "fakes", "harness") if name in cpu}
    if "machine" in cpu:
        shares["other"] = max(0.0, 100 * (cpu["machine"] - cpu["target"] - cpu["fakes"] - cpu.get("harness", 0)) / ticks)
    return shares


rows = {}
for r in read_jsonl("records.jsonl"):
    w = r["wrk"]
    seconds = w["durationUs"] / 1e6
    errors = w["errors"]
    gemini = r["callsAfter"]["gemini"] - r["callsBefore"]["gemini"]
    openai = r["callsAfter"]["openai"] - r["callsBefore"]["openai"]
    rejected = r["callsAfter"]["rejected"] - r["callsBefore"]["rejected"]
    requests = w["requests"]
    ticks = r["clockTicks"] * r["wallSeconds"]
    rows[r["scenario"]] = {
        "scenario": r["scenario"], "target": r["target"], "connections": r["connections"],
        "seconds": round(seconds, 2), "requests": requests,
        "rps": requests / seconds if seconds else 0.0,
        "p50Ms": w["latencyUs"]["p50"] / 1000, "p90Ms": w["latencyUs"]["p90"] / 1000,
        "p99Ms": w["latencyUs"]["p99"] / 1000, "p999Ms": w["latencyUs"]["p999"] / 1000,
        "maxMs": w["latencyUs"]["max"] / 1000,
        "non2xx": errors["status"],
        "socketErrors": errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
        "providerCalls": {"gemini": gemini, "openai": openai, "rejected": rejected},
        "callsPerAsk": (gemini + openai) / requests if requests else None,
        "cpuPercent": cpu_percent(r["cpuTicks"], ticks),
        "peakRssMb": {"target": r["peakRssKb"]["target"] / 1024, "fakes": r["peakRssKb"]["fakes"] / 1024},
        "loadAverage": r.get("loadAverage"),
        "extra": r.get("extra"),
    }
    if "cachedAnswers" in w:
        rows[r["scenario"]]["extra"] = {"cachedAnswers": w["cachedAnswers"], "coalesced": w.get("coalesced")}

processes = {p["process"]: p["peakRssKb"] / 1024 for p in read_jsonl("processes.jsonl")}
ramp = {}
for r in read_jsonl("ramp.jsonl"):
    w = r["wrk"]
    ramp.setdefault(r["target"], []).append({
        "window": r["window"], "seconds": round(w["durationUs"] / 1e6, 1),
        "rps": round(w["requests"] / (w["durationUs"] / 1e6)), "p99Ms": w["latencyUs"]["p99"] / 1000})

soak_rss = []
try:
    with open(os.path.join(args.work, "soak-rss.txt")) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit():
                soak_rss.append((float(parts[0]), int(parts[1]) / 1024))
except OSError:
    pass

# --- The table ---------------------------------------------------------------------------------------
def fmt(value, pattern="{:.2f}"):
    return "-" if value is None else pattern.format(value)


header = ["scenario", "conns", "req/s", "p50 ms", "p90 ms", "p99 ms", "errors", "calls/ask", "CPU app", "fakes", "wrk", "other", "peak RSS"]
table = []
for row in rows.values():
    calls = row["providerCalls"]
    per_ask = "-" if row["target"] == "fakes" else f"{fmt(row['callsPerAsk'], '{:.3f}')} ({calls['gemini']}+{calls['openai']})"
    table.append([row["scenario"], str(row["connections"]), f"{row['rps']:.0f}", fmt(row["p50Ms"]), fmt(row["p90Ms"]),
                  fmt(row["p99Ms"]), f"{row['non2xx']}/{row['socketErrors']}", per_ask,
                  *(fmt(row["cpuPercent"].get(k), "{:.0f}%") for k in ("target", "fakes", "harness", "other")),
                  f"{row['peakRssMb']['target']:.0f} MB"])
widths = [max(len(h), *(len(t[i]) for t in table)) if table else len(h) for i, h in enumerate(header)]
print()
print(f"AgentApi benchmark, {args.mode} mode, commit {args.commit}, {os.cpu_count()} cores, load average {args.load[0]} -> {args.load[1]}")
print("  ".join(h.ljust(widths[i]) if i == 0 else h.rjust(widths[i]) for i, h in enumerate(header)))
for t in table:
    print("  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(t)))
print("errors = non-2xx / socket errors and timeouts; calls/ask = provider calls per answered request (gemini+openai);")
print("CPU = % of one core over the scenario: the target, the fakes, wrk (or the stampede's client), and other = everything")
print("else the machine ran meanwhile (other users: when it is high, the figures are noisy); peak RSS = the target's VmHWM so far.")
for target, windows in ramp.items():
    if len(windows) > 1:
        print(f"ramp of {target} (10-s windows, req/s): " + ", ".join(str(w["rps"]) for w in windows))
if processes:
    print("peak RSS per process: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in processes.items()))

# --- Targets -----------------------------------------------------------------------------------------
checks = []


def check(name, value, target, passed, unit=""):
    checks.append({"target": name, "value": value, "goal": target, "pass": passed, "unit": unit})


def get(name):
    return rows.get(name)


floor1, app1 = get("floor-miss-c1"), get("agentapi-miss-c1")
floor16, app16, hit16 = get("floor-miss-c16"), get("agentapi-miss-c16"), get("agentapi-hit-c16")
floor_slow, app_slow = get("floor-slow-c64"), get("agentapi-slow-c64")
cold, soak, stampede, keys, fake = get("agentapi-cold-c16"), get("agentapi-soak-c16"), get("agentapi-stampede"), get("agentapi-keys-miss-c16"), get("fake-direct")

if floor1 and app1:
    own = app1["p50Ms"] - floor1["p50Ms"]
    check("own cost per ask (AgentApi miss p50 - floor p50, 1 connection)", f"{own:.3f} ms", "<= 0.25 ms", own <= 0.25)
if floor16 and app16:
    share = 100 * app16["rps"] / floor16["rps"]
    check("misses at 16 connections, % of the floor's asks/s", f"{share:.0f} %", ">= 70 %", share >= 70)
if floor16 and hit16:
    times = hit16["rps"] / floor16["rps"]
    check("hits at 16 connections vs the floor's misses", f"{times:.2f}x", ">= 3x", times >= 3)
if floor_slow and app_slow:
    share = 100 * app_slow["rps"] / floor_slow["rps"]
    gap = app_slow["p99Ms"] - floor_slow["p99Ms"]
    errors = app_slow["non2xx"] + app_slow["socketErrors"]
    check("50 ms providers at 64 connections, % of the floor's asks/s", f"{share:.1f} %", ">= 98 %", share >= 98)
    check("50 ms providers at 64 connections, p99 - floor p99", f"{gap:+.2f} ms", "<= +3 ms", gap <= 3)
    check("50 ms providers at 64 connections, errors", str(errors), "0", errors == 0)
app_peaks = [mb for name, mb in processes.items() if name.startswith("agentapi")]
if app_peaks:
    check("peak RSS of AgentApi across the run", f"{max(app_peaks):.0f} MB", "<= 150 MB", max(app_peaks) <= 150)
if cold:
    extra = cold.get("extra") or {}
    listen, ready = extra.get("secondsToListen"), extra.get("secondsToReady")
    note = f" (listening {listen:.2f} s after launch" if listen is not None else ""
    note += (f", ready {ready:.2f} s)" if ready is not None else ")") if note else ""
    check(f"cold start: p99 of the first {cold['seconds']:.0f} s at 16 connections{note}", f"{cold['p99Ms']:.1f} ms", "<= 100 ms", cold["p99Ms"] <= 100)
if soak and soak_rss:
    samples = [mb for _, mb in soak_rss]
    third = samples[max(0, len(samples) // 3 - 1)]
    growth = 100 * (samples[-1] - third) / third if third else 0.0
    check("soak: RSS at the end vs a third of the way in", f"{third:.0f} -> {samples[-1]:.0f} MB ({growth:+.1f} %)", "flat (<= +10 %)", growth <= 10)
if soak and app16:
    times = soak["p999Ms"] / app16["p99Ms"] if app16["p99Ms"] else float("inf")
    check(f"soak ({soak['seconds']:.0f} s): p99.9 vs warm p99", f"{soak['p999Ms']:.1f} ms vs {app16['p99Ms']:.1f} ms ({times:.1f}x)", "<= 3x", times <= 3)


def exact_misses(row):
    calls = row["providerCalls"]
    slack = 2 * row["connections"]  # asks in flight when wrk stopped reach the fakes but are not counted as answered
    return all(0 <= calls[p] - row["requests"] <= slack for p in ("gemini", "openai")) and calls["rejected"] == 0


miss_rows = [r for r in rows.values() if r["target"].startswith("agentapi") and "miss" in r["scenario"] or r["scenario"] in ("agentapi-slow-c64", "agentapi-cold-c16", "agentapi-soak-c16")]
if miss_rows:
    ok = all(exact_misses(r) for r in miss_rows)
    value = ", ".join(f"{r['scenario']} {fmt(r['callsPerAsk'], '{:.3f}')}" for r in miss_rows)
    check("provider calls per miss", value, "exactly 2 (1 + 1)", ok)
if hit16:
    calls = hit16["providerCalls"]["gemini"] + hit16["providerCalls"]["openai"]
    check("provider calls per hit", f"{calls} calls in {hit16['requests']} hits", "0", calls == 0)
if stampede:
    calls = stampede["providerCalls"]
    extra = stampede.get("extra") or {}
    check(f"stampede of {stampede['requests']} identical cold asks: provider calls", f"{calls['gemini']} + {calls['openai']} (coalesced {extra.get('coalesced')}, cached answers {extra.get('cachedAnswers')})",
          "1 + 1", calls["gemini"] == 1 and calls["openai"] == 1)
app_rows = [r for r in rows.values() if r["target"].startswith("agentapi")]
if app_rows:
    bad = sum(r["non2xx"] + r["socketErrors"] for r in app_rows)
    check("non-2xx and socket errors across AgentApi scenarios", str(bad), "0", bad == 0)

info = []
if keys and app16:
    info.append(f"caller keys + rate limit: {keys['rps']:.0f} asks/s vs {app16['rps']:.0f} without "
                f"({100 * keys['rps'] / app16['rps']:.0f} %), p50 {keys['p50Ms']:.2f} vs {app16['p50Ms']:.2f} ms")
if fake:
    busiest = max((r["rps"] * (r["callsPerAsk"] or 0) for r in rows.values() if r["target"] != "fakes"), default=0)
    info.append(f"fakes alone: {fake['rps']:.0f} calls/s at 16 connections, {fake['rps'] / busiest:.1f}x the most any scenario asked of them ({busiest:.0f} calls/s)" if busiest else
                f"fakes alone: {fake['rps']:.0f} calls/s at 16 connections")

print()
print("targets (issue 16)")
name_width = max((len(c["target"]) for c in checks), default=10)
for c in checks:
    print(f"  {'PASS' if c['pass'] else 'MISS'}  {c['target'].ljust(name_width)}  {c['value']}  (target {c['goal']})")
for line in info:
    print(f"  info  {line}")

os.makedirs(os.path.dirname(args.out), exist_ok=True)
with open(args.out, "w") as f:
    json.dump({
        "began": args.began, "mode": args.mode, "commit": args.commit, "settings": args.settings,
        "machine": {"cores": os.cpu_count(), "kernel": platform.release(), "loadAverage": {"begin": args.load[0], "end": args.load[1]}},
        "scenarios": list(rows.values()), "ramp": ramp, "peakRssMb": processes,
        "soakRssMb": [round(mb, 1) for _, mb in soak_rss],
        "cache": {"beforeSoak": read_json("cache-before-soak.json"), "afterSoak": read_json("cache-after-soak.json")},
        "targets": checks, "info": info,
    }, f, indent=2)
print(f"\nwrote {args.out}")
