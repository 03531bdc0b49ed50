-- Takes an idempotency key for one request, or says what an earlier request with the key left, atomically.
-- KEYS[1]  the key's record: a hash {state = in_flight|done, fp, token, status, body}
-- KEYS[2]  the caller's index of its keys: a sorted set of record suffixes scored by when they were taken (ms)
-- ARGV[1]  the fingerprint of the request's canonical body
-- ARGV[2]  a fresh random token: only a commit carrying it may apply the batch
-- ARGV[3]  the lock's ttl in ms (how long the request may take)
-- ARGV[4]  the retention in ms (how long keys are kept)
-- ARGV[5]  how many keys a caller keeps; beyond, its oldest records are deleted
-- ARGV[6]  this record's suffix in the index
-- ARGV[7]  the prefix of the caller's record keys (prefix .. suffix = a record key, in the same hash slot as KEYS[2])
-- Returns {'claimed', now in microseconds} | {'replay', status, body} | {'in_flight'} | {'mismatch'}.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local record = redis.call('HMGET', KEYS[1], 'state', 'fp', 'status', 'body')
if record[1] then
    if record[2] ~= ARGV[1] then
        return {'mismatch'}
    end
    if record[1] == 'done' then
        return {'replay', record[3], record[4]}
    end
    return {'in_flight'}
end
redis.call('HSET', KEYS[1], 'state', 'in_flight', 'fp', ARGV[1], 'token', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
-- The caller's keys, bounded in count: expired entries leave the index, then the oldest beyond the bound go with their
-- records. (Record keys share the index's hash tag, so they live on this node of a cluster.)
local nowMs = math.floor(now / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', nowMs - tonumber(ARGV[4]))
redis.call('ZADD', KEYS[2], nowMs, ARGV[6])
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if excess > 0 then
    local oldest = redis.call('ZPOPMIN', KEYS[2], excess)
    for i = 1, #oldest, 2 do
        redis.call('DEL', ARGV[7] .. oldest[i])
    end
end
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return {'claimed', string.format('%d', now)}
