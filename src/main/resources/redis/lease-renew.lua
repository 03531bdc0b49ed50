-- Extends a lease only for its owner: KEYS[1]'s time to live becomes ARGV[2] ms if, and only if, its owner is ARGV[1].
-- Check and extend must be one atomic step: otherwise the lease could expire and be taken by another owner in between.
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then
    return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
