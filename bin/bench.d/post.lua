-- POSTs the search body Braid sends for the "search" scenario straight to OpenSearch.
local file = io.open("bin/bench.d/search-body.json", "r")
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
