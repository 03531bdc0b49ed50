-- Applies the effects of an event batch (or, on a Redis Cluster, the part of them in one hash slot) together with the
-- record that says it was applied, atomically: a batch is applied exactly when its record says so.
-- KEYS[1]  the record: an idempotency key's record (ARGV[1] = 'claimed'), or a record of this batch alone ('once':
--          a batch without a key, or one slot's part of a batch on a cluster)
-- KEYS[2..] the keys the effects write
-- ARGV[1]  'claimed': the record must be in flight under ARGV[2], and becomes done with the answer;
--          'once': the record must not exist, and is created done
-- ARGV[2]  the claim's token, or the batch's random id
-- ARGV[3]  the record's ttl in ms once done
-- ARGV[4]  the answer's status ('claimed' only)
-- ARGV[5]  the answer's body ('claimed' only)
-- ARGV[6]  the deadline on Redis's clock in microseconds after which nothing is applied (0: none): a request's bytes
--          delivered late (a stalled network) must not apply a batch whose lock has expired
-- ARGV[7]  the effects: a JSON array of operations [command, key index, arguments...], or
--          ['trending', key index of the sorted set, key index of its base, item, log score, item, log score, ...]
-- Returns {'applied', failed commands, first failure, trending contributions dropped} | {'already'} | {'lost'} |
-- {'expired'}.
local record = KEYS[1]
local mode = ARGV[1]
local token = ARGV[2]
local state = redis.call('HMGET', record, 'state', 'token')
if state[1] == 'done' and state[2] == token then
    return {'already'}
end
if mode == 'claimed' then
    if state[1] ~= 'in_flight' or state[2] ~= token then
        return {'lost'}
    end
elseif state[1] then
    return {'lost'}
end
local deadline = tonumber(ARGV[6])
if deadline > 0 then
    local time = redis.call('TIME')
    if tonumber(time[1]) * 1000000 + tonumber(time[2]) > deadline then
        return {'expired'}
    end
end
-- The record first: a failure after it cannot leave effects without their record.
if mode == 'claimed' then
    redis.call('HSET', record, 'state', 'done', 'status', ARGV[4], 'body', ARGV[5])
else
    redis.call('HSET', record, 'state', 'done', 'token', token)
end
redis.call('PEXPIRE', record, ARGV[3])
-- A command Redis refuses (a key of another type) is counted and the rest applied, as a transaction would.
local failed = 0
local first = ''
local dropped = 0
local function run(...)
    local reply = redis.pcall(...)
    if type(reply) == 'table' and reply.err then
        failed = failed + 1
        if first == '' then
            first = reply.err
        end
    end
end
for _, op in ipairs(cjson.decode(ARGV[7])) do
    if op[1] == 'trending' then
        local key = KEYS[op[2]]
        local base = tonumber(redis.call('GET', KEYS[op[3]]) or '0') or 0
        for i = 4, #op, 2 do
            local exponent = tonumber(op[i + 1]) - base
            if exponent > 650 then
                dropped = dropped + 1
            else
                run('ZINCRBY', key, string.format('%.17g', math.exp(exponent)), op[i])
            end
        end
    else
        run(op[1], KEYS[op[2]], unpack(op, 3))
    end
end
return {'applied', failed, first, dropped}
