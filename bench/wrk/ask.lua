-- POST /api/ask for wrk. Arguments after "--": mode [prefix] [caller key]
--   miss     a unique query per request (prefix, thread and counter), so every ask is a cache miss
--   hit      one fixed query, so every ask after the first is a cache hit
--   gemini   a generateContent body, for measuring the fake itself (point wrk at the fake's URL)
-- done() writes the summary as JSON to the file named by WRK_OUT.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1] or "miss"
  prefix = args[2] or "bench"
  counter = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  if args[3] and args[3] ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. args[3]
  end
  if mode == "hit" then
    fixed = wrk.format(nil, nil, nil, '{"query":"' .. prefix .. ': what is the capital of France?"}')
  elseif mode == "gemini" then
    wrk.headers["x-goog-api-key"] = "bench-gemini-key"
    fixed = wrk.format(nil, nil, nil, '{"contents":[{"role":"user","parts":[{"text":"What is the capital of France?"}]}]}')
  end
end

function request()
  if fixed then
    return fixed
  end
  counter = counter + 1
  return wrk.format(nil, nil, nil, string.format('{"query":"%s t%d q%d: what is the capital of France?"}', prefix, id, counter))
end

function done(summary, latency, requests)
  local out = os.getenv("WRK_OUT")
  if not out or out == "" then
    return
  end
  local e = summary.errors
  local f = assert(io.open(out, "w"))
  f:write(string.format(
    '{"durationUs":%d,"requests":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latencyUs":{"min":%d,"mean":%.1f,"max":%d,"stdev":%.1f,"p50":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
    summary.duration, summary.requests, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.max, latency.stdev,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
  f:close()
end
