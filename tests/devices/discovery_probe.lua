-- KOReader's calibre server search, reduced to loopback: send "hello" from a UDP socket and read
-- the answer with the Lua pattern KOReader's wireless client uses. Prints "HOST PORT" or fails.
local socket = require("socket")
local port = tonumber(arg[1])
local udp = socket.udp4 and socket.udp4() or socket.udp()
udp:setsockname("127.0.0.1", 0)
udp:settimeout(3)
assert(udp:sendto("hello", "127.0.0.1", port))
local dgram, host = udp:receivefrom()
udp:close()
assert(dgram, "no answer: " .. tostring(host))
local _, _, name, content_port, replied_port =
    dgram:find("calibre wireless device client %(on (.-)%);(%d+),(%d+)$")
assert(replied_port, "KOReader could not read: " .. dgram)
print(host .. " " .. replied_port .. " " .. content_port .. " " .. name)
