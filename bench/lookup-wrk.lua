-- wrk side of bench/lookup.sh: GET /api/parcels/at at a uniformly random point of the district's extent
-- (the same distribution as lookup-pgbench.sql). Extent from the environment: WEST SOUTH EAST NORTH.
local west, south = tonumber(os.getenv("WEST")), tonumber(os.getenv("SOUTH"))
local east, north = tonumber(os.getenv("EAST")), tonumber(os.getenv("NORTH"))
local statuses = {}
request = function()
  local lon = west + math.random(0, 1000000) * (east - west) / 1000000.0
  local lat = south + math.random(0, 1000000) * (north - south) / 1000000.0
  return wrk.format("GET", string.format("/api/parcels/at?lon=%.7f&lat=%.7f", lon, lat))
end
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency, requests)
  io.write(string.format("p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f\n", latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000))
end
