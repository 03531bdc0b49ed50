-- Takes a singleton job's lease for an owner if nobody holds it, with a fencing token, atomically.
-- KEYS[1]  the lease: a hash {owner, fence} with a time to live
-- KEYS[2]  the job's fencing counter (INCR): every grant gets a larger token than any before it
-- KEYS[3]  the owner of the last grant, kept without a time to live: a grant after another owner is a takeover
-- ARGV[1]  the owner's token
-- ARGV[2]  the lease's time to live in ms
-- Returns {1, fence, previous owner or ''} when granted (or already held by this owner), else {0, the holder's
-- remaining ms, the holder}.
local holder = redis.call('HGET', KEYS[1], 'owner')
if holder == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return {1, tonumber(redis.call('HGET', KEYS[1], 'fence')), ARGV[1]}
end
if holder then
    return {0, redis.call('PTTL', KEYS[1]), holder}
end
local fence = redis.call('INCR', KEYS[2])
local previous = redis.call('GET', KEYS[3]) or ''
redis.call('SET', KEYS[3], ARGV[1])
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'fence', fence)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, fence, previous}
