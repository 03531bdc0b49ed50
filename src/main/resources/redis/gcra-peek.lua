-- How many calls a GCRA count (gcra.lua) would allow at once now, without taking any.
-- KEYS[1]  the count's key: its theoretical arrival time (TAT) in microseconds
-- ARGV[1]  the emission interval in microseconds
-- ARGV[2]  the window in microseconds
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then
    tat = now
end
return math.floor((tonumber(ARGV[2]) - (tat - now)) / tonumber(ARGV[1]))
