-- On a Redis Cluster, after every slot's part of a keyed batch was applied (events-apply.lua, 'once' per part): marks
-- the key's record done with its answer, if it is still this request's.
-- KEYS[1]  the key's record
-- ARGV[1]  the claim's token
-- ARGV[2]  the answer's status
-- ARGV[3]  the answer's body
-- ARGV[4]  the retention in ms
-- Returns 'done' | 'lost' (the lock expired: the parts applied stay recorded, so a retry with the key completes the
-- batch without applying any part twice).
local state = redis.call('HMGET', KEYS[1], 'state', 'token')
if state[1] == 'done' and state[2] == ARGV[1] then
    return 'done'
end
if state[1] ~= 'in_flight' or state[2] ~= ARGV[1] then
    return 'lost'
end
redis.call('HSET', KEYS[1], 'state', 'done', 'status', ARGV[2], 'body', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 'done'
