-- Saves activity forms: each request writes the form body (BODY_FILE, taken from one activity's
-- edit page) to a different activity at version 1, so every save is a real write (303) until the
-- activities run out; then 409s. Responses other than 303 are counted and reported. Requests
-- take the signed-in sessions in turn (benches/wrk/cookies.lua).
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "cookies.lua")
local first = tonumber(os.getenv("FIRST_ID") or "1")
local count = tonumber(os.getenv("ACTIVITIES") or "10000")
local f = assert(io.open(os.getenv("BODY_FILE"), "r"))
local body = f:read("*a")
f:close()
local threads = {}
local started = 0

-- Each wrk thread gets its own number (the global `tid` in its Lua state), so that the threads
-- write to disjoint activities.
function setup(thread)
    thread:set("tid", started)
    started = started + 1
    table.insert(threads, thread)
end

function init(args)
    n = 0
    other = 0
    step = 2
end

function request()
    local id = first + tid + n * step
    n = n + 1
    if id >= first + count then id = first end
    return wrk.format("POST", "/activities/" .. id, {
        ["Cookie"] = next_cookie(),
        ["Content-Type"] = "application/x-www-form-urlencoded",
    }, body)
end

function response(status, headers, body)
    if status ~= 303 then other = other + 1 end
end

function done(summary, latency, requests)
    local o = 0
    for _, t in ipairs(threads) do o = o + t:get("other") end
    io.write(string.format("non-303 responses: %d\n", o))
end
