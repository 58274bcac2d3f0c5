-- The signed-in sessions' cookie lines (COOKIES_FILE, one per session), taken in turn by
-- `next_cookie()`; each wrk thread starts at a different line (its number `tid`, set in setup).
cookies = {}
for line in io.lines(os.getenv("COOKIES_FILE")) do
    table.insert(cookies, line)
end
local turn = 0

function next_cookie()
    turn = turn + 1
    return cookies[((tid or 0) * 7 + turn) % #cookies + 1]
end
