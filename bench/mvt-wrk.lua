-- wrk: GET /tiles/parcels/{z}/{x}/{y}.mvt for the tiles of a "z x y" list; each thread from its own random start.
local tiles, i = {}, 0
local threads = {}
function setup(thread) thread:set("tid", #threads + 1); threads[#threads + 1] = thread end
function init(args)
  for line in io.lines(args[1]) do
    local z, x, y = line:match("^(%d+) (%d+) (%d+)")
    if z then tiles[#tiles + 1] = "/tiles/parcels/" .. z .. "/" .. x .. "/" .. y .. ".mvt" end
  end
  math.randomseed(tid * 7919)
  i = math.random(#tiles)
end
function request()
  i = i % #tiles + 1
  return wrk.format("GET", tiles[i])
end
