-- A singleton job's write, accepted only if its fencing token is not older than the last accepted one, atomically.
-- KEYS[1]  the last accepted token (kept without a time to live)
-- KEYS[2]  the job's result: a hash {value, at (Redis's clock, ms), fence}
-- ARGV[1]  the writer's fencing token
-- ARGV[2]  the value
-- ARGV[3]  how long the result is kept, in ms
-- Returns 1 when written, 0 when refused (a newer holder has written).
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) < last then
    return 0
end
redis.call('SET', KEYS[1], ARGV[1])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('HSET', KEYS[2], 'value', ARGV[2], 'at', string.format('%d', now), 'fence', ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
