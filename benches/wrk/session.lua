-- GET with signed-in sessions' cookies, a different session for each request in turn
-- (benches/wrk/cookies.lua).
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "cookies.lua")
local started = 0

function setup(thread)
    thread:set("tid", started)
    started = started + 1
end

function request()
    wrk.headers["Cookie"] = next_cookie()
    return wrk.format()
end
