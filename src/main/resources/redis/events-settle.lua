-- After a write whose reply was lost: says whether the batch was applied, and makes sure a copy still on its way
-- cannot apply it any more, atomically.
-- KEYS[1]  the record (as for events-apply.lua)
-- ARGV[1]  'claimed' or 'once' (as for events-apply.lua)
-- ARGV[2]  the claim's token, or the batch's random id
-- ARGV[3]  the ttl in ms of the tombstone left for a batch without a key
-- Returns 'applied' (done under this token) or 'not_applied' (and now it never will be: the claim is released, or a
-- tombstone makes a late copy find its record taken).
local state = redis.call('HMGET', KEYS[1], 'state', 'token')
if state[1] == 'done' and state[2] == ARGV[2] then
    return 'applied'
end
if ARGV[1] == 'claimed' then
    if state[1] == 'in_flight' and state[2] == ARGV[2] then
        redis.call('DEL', KEYS[1])
    end
elseif not state[1] then
    redis.call('HSET', KEYS[1], 'state', 'aborted', 'token', ARGV[2])
    redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return 'not_applied'
