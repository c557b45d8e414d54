-- wrk side of bench/fieldreports.sh: POST /open311/v2/requests.json (form-urlencoded, as the spec's clients send)
-- at a uniformly random point of the district's extent, rotating the categories; every description is unique so
-- no submission is folded into an earlier one as a duplicate. Extent from the environment: WEST SOUTH EAST NORTH.
local west, south = tonumber(os.getenv("WEST")), tonumber(os.getenv("SOUTH"))
local east, north = tonumber(os.getenv("EAST")), tonumber(os.getenv("NORTH"))
local codes = {"flooding", "waste", "road_damage", "street_light", "land_encroachment", "illegal_construction"}
local threads = {}
-- tid is the thread's number, set by setup() as a global of the thread's Lua state (a local would shadow it)
local n, statuses = 0, {}
setup = function(thread)
  thread:set("tid", #threads + 1)
  threads[#threads + 1] = thread
end
init = function(args)
  math.randomseed(tid * 7919 + os.time())
end
request = function()
  n = n + 1
  local lon = west + math.random(0, 1000000) * (east - west) / 1000000.0
  local lat = south + math.random(0, 1000000) * (north - south) / 1000000.0
  local body = string.format("service_code=%s&lat=%.7f&long=%.7f&description=B%%C3%%A1o+c%%C3%%A1o+bench+%d-%d-%d&device_id=bench-%d",
    codes[n % #codes + 1], lat, lon, tid, n, os.time(), tid)
  return wrk.format("POST", "/open311/v2/requests.json", {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency, requests)
  io.write(string.format("p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f\n", latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000))
end
