-- Rebases the trending scale (see events.TrendingDecay), fenced: multiplies every score by exp(-delta) and moves the
-- base by delta, in one atomic step, so that a batch (which reads the base in its own script) never mixes two scales.
-- KEYS[1]  the last accepted fencing token of the rebase job
-- KEYS[2]  the trending sorted set
-- KEYS[3]  the scale's base B
-- ARGV[1]  the writer's fencing token
-- ARGV[2]  the new base
-- Returns {1, delta} when rebased, {0} when refused (a newer holder has rebased).
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) < last then
    return {0}
end
redis.call('SET', KEYS[1], ARGV[1])
local base = tonumber(redis.call('GET', KEYS[3]) or '0') or 0
local target = tonumber(ARGV[2])
local delta = target - base
if delta ~= 0 then
    if redis.call('EXISTS', KEYS[2]) == 1 then
        redis.call('ZUNIONSTORE', KEYS[2], 1, KEYS[2], 'WEIGHTS', string.format('%.17g', math.exp(-delta)))
    end
    redis.call('SET', KEYS[3], string.format('%.17g', target))
end
return {1, string.format('%.17g', delta)}
