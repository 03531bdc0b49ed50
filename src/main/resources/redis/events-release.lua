-- Gives a claimed idempotency key back: deletes KEYS[1] if, and only if, it is still in flight under the token ARGV[1].
-- A record already done, or taken by another request, is left alone.
local state = redis.call('HMGET', KEYS[1], 'state', 'token')
if state[1] == 'in_flight' and state[2] == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
