-- wrk: WFS 2.0 GetFeature as GML 3.2, COUNT features in the bbox of each tile of a make_tiles.sh list (EPSG:3857),
-- each thread from its own random start. Counts answers that are not HTTP 200 with an XML content type.
-- Usage: wrk ... -s bench/wfs-gml-wrk.lua http://host:port/ows -- tiles.txt COUNT
local boxes, i, count = {}, 0, "100"
local threads = {}
non_xml = 0
function setup(thread) thread:set("tid", #threads + 1); table.insert(threads, thread) end
function init(args)
  for line in io.lines(args[1]) do
    if not line:match("^#") then
      local f = {}
      for w in line:gmatch("%S+") do f[#f + 1] = w end
      if #f >= 7 then boxes[#boxes + 1] = f[4] .. "," .. f[5] .. "," .. f[6] .. "," .. f[7] end
    end
  end
  count = args[2] or "100"
  math.randomseed(tid * 104729)
  i = math.random(#boxes)
end
function request()
  i = i % #boxes + 1
  return wrk.format("GET", wrk.path .. "?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=parcels&COUNT=" .. count
    .. "&OUTPUTFORMAT=application/gml%2Bxml;%20version%3D3.2&SRSNAME=urn:ogc:def:crs:EPSG::3857&BBOX=" .. boxes[i]
    .. ",urn:ogc:def:crs:EPSG::3857")
end
function response(status, headers, body)
  local ctype = headers["Content-Type"] or headers["content-type"] or ""
  if status ~= 200 or not ctype:lower():match("xml") then non_xml = non_xml + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("non_xml") or 0) end
  io.write(string.format("RESULT rps=%.1f p50_ms=%.1f p99_ms=%.1f requests=%d errors=%d bad=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout, bad))
end
