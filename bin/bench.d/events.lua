-- POSTs /v1/events: batches of 10 events (clicks, carts, purchases, impressions) of demo users u1..u200 and items
-- i1..i6000, stamped now, each batch a new one; with BENCH_KEYED=1 each carries an Idempotency-Key of its own.
local keyed = os.getenv("BENCH_KEYED") == "1"
local types = {"impression", "click", "add_to_cart", "purchase"}
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("thread", threads)
end
local counter = 0
local run
init = function(args)
  run = string.format("%d-%d", os.time(), math.random(1, 1000000000))
end
request = function()
  counter = counter + 1
  local ts = os.date("!%Y-%m-%dT%H:%M:%SZ")
  local events = {}
  for i = 1, 10 do
    events[i] = string.format('{"user":"u%d","item_id":"i%d","type":"%s","ts":"%s"}',
      ((counter * 7 + i) % 200) + 1, ((counter * 131 + i * 17) % 6000) + 1, types[((counter + i) % 4) + 1], ts)
  end
  local headers = {["Content-Type"] = "application/json"}
  if keyed then
    headers["Idempotency-Key"] = string.format("bench-%s-%s-%d", run, tostring(thread), counter)
  end
  return wrk.format("POST", "/v1/events", headers, '{"events":[' .. table.concat(events, ",") .. ']}')
end
