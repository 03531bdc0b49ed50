-- Rotates over the demo users u1..u200 so the load is spread like real traffic.
local counter = 0
request = function()
  counter = counter + 1
  local path = string.format(wrk.path, (counter % 200) + 1)
  return wrk.format("GET", path)
end
