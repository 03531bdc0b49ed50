-- One rate-limit decision, atomically: the generic cell rate algorithm on one key holding the caller's theoretical
-- arrival time (TAT) in microseconds. The clock is Redis's own, so replicas whose clocks disagree still share one count.
-- KEYS[1]  the caller's key for one endpoint class
-- ARGV[1]  the emission interval in microseconds (window / quota)
-- ARGV[2]  the window in microseconds: the whole quota may be spent at once
-- Returns {allowed (1|0), remaining, reset in microseconds}: reset is, when allowed, the time until the whole quota is
-- back, and when refused the time until the next request would be allowed.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then
    tat = now
end
local next = tat + interval
if next - now > window then
    return {0, 0, next - now - window}
end
redis.call('SET', KEYS[1], string.format('%d', next), 'PX', math.ceil((next - now) / 1000))
return {1, math.floor((window - (next - now)) / interval), next - now}
