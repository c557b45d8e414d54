-- wrk side of bench/planning.sh: GET /api/parcels/{id}/planning at a uniformly random current parcel id
local min, max = tonumber(os.getenv("MIN")), tonumber(os.getenv("MAX"))
request = function()
  return wrk.format("GET", "/api/parcels/" .. math.random(min, max) .. "/planning")
end
done = function(summary, latency, requests)
  io.write(string.format("p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f\n", latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000))
end
