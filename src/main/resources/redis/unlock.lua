-- Releases a lock only for its owner: deletes KEYS[1] if, and only if, it still holds the token ARGV[1].
-- Get and delete must be one atomic step: otherwise the lock could expire and be taken by another owner in between.
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
else
    return 0
end
