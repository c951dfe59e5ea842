-- wrk script: POST the body in $BODY_FILE with the headers in $HEADERS ("Name: value|Name: value"),
-- and histogram the x-switchboard-overhead-ms response header (in microseconds) per thread.
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
for h in string.gmatch(os.getenv("HEADERS") or "", "[^|]+") do
  local k, v = h:match("^%s*([^:]+):%s*(.*)$")
  if k then wrk.headers[k] = v end
end

local threads = {}
function setup(thread) table.insert(threads, thread) end

hist = {}
bad = 0
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
  local v = headers["x-switchboard-overhead-ms"] or headers["X-Switchboard-Overhead-Ms"]
  if v then
    local us = math.floor(tonumber(v) * 1000 + 0.5)
    hist[us] = (hist[us] or 0) + 1
  end
end

function done(summary, latency, requests)
  local all, n, nbad = {}, 0, 0
  for _, t in ipairs(threads) do
    nbad = nbad + (t:get("bad") or 0)
    for us, c in pairs(t:get("hist") or {}) do
      all[us] = (all[us] or 0) + c
      n = n + c
    end
  end
  io.write(string.format("NON200 %d\n", nbad))
  if n == 0 then io.write("OVERHEAD_P50_US -\n") return end
  local keys = {}
  for us in pairs(all) do table.insert(keys, us) end
  table.sort(keys)
  local seen = 0
  for _, us in ipairs(keys) do
    seen = seen + all[us]
    if seen * 2 >= n then io.write(string.format("OVERHEAD_P50_US %d\n", us)) return end
  end
end
