-- Gives a lease up only for its owner: deletes KEYS[1] if, and only if, its owner is ARGV[1]. A lease that expired and
-- was taken by another owner is never released by the one that lost it.
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
