-- GET with the signed-in session's cookies (COOKIE in the environment).
local cookie = os.getenv("COOKIE")
wrk.headers["Cookie"] = cookie
