-- A sync and catalog client on LuaSocket + LuaSec, the libraries KOReader's HTTP stack is
-- built on, with LuaSec's default client settings (the server certificate is not verified,
-- as on KOReader). Usage: luajit luasec_client.lua BASE USER KEY BASIC_AUTH DOCUMENT
-- Prints one line per request: "<name> <status> <body>".
local https = require("ssl.https")
local ltn12 = require("ltn12")

local base, user, key, basic, document = arg[1], arg[2], arg[3], arg[4], arg[5]

local function call(name, method, path, headers, body)
    local chunks = {}
    local request = {
        url = base .. path,
        method = method,
        headers = headers,
        sink = ltn12.sink.table(chunks),
    }
    if body then
        headers["Content-Type"] = "application/json"
        headers["Content-Length"] = tostring(#body)
        request.source = ltn12.source.string(body)
    end
    local ok, status = https.request(request)
    local text = table.concat(chunks):gsub("\n", " ")
    print(name .. " " .. tostring(ok and status or status) .. " " .. text:sub(1, 300))
end

local sync = function()
    return {
        ["x-auth-user"] = user,
        ["x-auth-key"] = key,
        ["Accept"] = "application/vnd.koreader.v1+json",
    }
end

call("auth", "GET", "/kosync/users/auth", sync())
call("push", "PUT", "/kosync/syncs/progress", sync(),
    '{"document":"' .. document .. '","progress":"/body/p[7]","percentage":0.42,'
    .. '"device":"Kobo","device_id":"LUASEC"}')
call("pull", "GET", "/kosync/syncs/progress/" .. document, sync())
call("catalog", "GET", "/opds", { ["Authorization"] = basic })
