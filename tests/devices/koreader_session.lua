-- A calibre wireless session from LuaJIT + LuaSocket, splitting the byte stream the way
-- KOReader's wireless client does (length before the first "[", Lua byte strings) and hashing
-- the password as sha1(password .. challenge). Usage: luajit koreader_session.lua PORT PASSWORD
-- INBOX. Answers the server until one book has arrived and a NOOP after it was answered, then
-- says goodbye with a NOOP and prints the book's lpath.
local socket = require("socket")
local bit = require("bit")
local band, bor, bxor, bnot = bit.band, bit.bor, bit.bxor, bit.bnot
local rol, tobit = bit.rol, bit.tobit

local function sha1_hex(message)
    local h0, h1, h2, h3, h4 = 0x67452301, tobit(0xEFCDAB89), tobit(0x98BADCFE), 0x10325476,
        tobit(0xC3D2E1F0)
    local length = #message
    message = message .. "\128" .. string.rep("\0", (55 - length) % 64)
    local bits = length * 8
    for shift = 56, 0, -8 do
        message = message .. string.char(math.floor(bits / 2 ^ shift) % 256)
    end
    for chunk = 1, #message, 64 do
        local w = {}
        for i = 0, 15 do
            local a, b, c, d = message:byte(chunk + i * 4, chunk + i * 4 + 3)
            w[i] = bor(bit.lshift(a, 24), bit.lshift(b, 16), bit.lshift(c, 8), d)
        end
        for i = 16, 79 do
            w[i] = rol(bxor(w[i - 3], w[i - 8], w[i - 14], w[i - 16]), 1)
        end
        local a, b, c, d, e = h0, h1, h2, h3, h4
        for i = 0, 79 do
            local f, k
            if i < 20 then f, k = bor(band(b, c), band(bnot(b), d)), 0x5A827999
            elseif i < 40 then f, k = bxor(b, c, d), 0x6ED9EBA1
            elseif i < 60 then f, k = bor(band(b, c), band(b, d), band(c, d)), tobit(0x8F1BBCDC)
            else f, k = bxor(b, c, d), tobit(0xCA62C1D6) end
            local temp = tobit(rol(a, 5) + f + e + k + w[i])
            e, d, c, b, a = d, c, rol(b, 30), a, temp
        end
        h0, h1, h2 = tobit(h0 + a), tobit(h1 + b), tobit(h2 + c)
        h3, h4 = tobit(h3 + d), tobit(h4 + e)
    end
    return bit.tohex(h0) .. bit.tohex(h1) .. bit.tohex(h2) .. bit.tohex(h3) .. bit.tohex(h4)
end

local port, password, inbox = tonumber(arg[1]), arg[2], arg[3]
local tcp = assert(socket.tcp())
tcp:settimeout(10)
assert(tcp:connect("127.0.0.1", port))

local function send(opcode, json_args)
    local body = "[" .. opcode .. "," .. json_args .. "]"
    assert(tcp:send(tostring(#body) .. body))
end

local buffer, received, done = "", nil, false
local function on_message(json)
    local opcode = tonumber(json:match("^%[(%d+),"))
    if opcode == 9 then
        local challenge = json:match('"passwordChallenge":"([^"]*)"')
        send(0, '{"acceptedExtensions":["epub","pdf"],"canReceiveBookBinary":true,'
            .. '"canSendOkToSendbook":true,"canStreamBooks":true,"canStreamMetadata":true,'
            .. '"canDeleteMultipleBooks":true,"canAcceptLibraryInfo":true,'
            .. '"deviceName":"KOReader (Lua)","versionOK":true,"maxBookContentPacketLen":4096,'
            .. '"passwordHash":"' .. sha1_hex(password .. challenge) .. '"}')
    elseif opcode == 3 then
        send(0, '{"device_info":{"device_store_uuid":"lua-device","device_name":"KOReader (Lua)"}}')
    elseif opcode == 5 then
        send(0, '{"free_space_on_device":1073741824}')
    elseif opcode == 6 then
        send(0, '{"willStream":true,"willScan":true,"count":0}')
    elseif opcode == 8 then
        local lpath = json:match('"lpath":"([^"]*)"')
        local length = tonumber(json:match('"length":(%d+)'))
        send(0, "{}")
        local data = buffer
        while #data < length do
            data = data .. assert(tcp:receive(length - #data))
        end
        buffer = data:sub(length + 1)
        local out = assert(io.open(inbox .. "/book.bin", "wb"))
        out:write(data:sub(1, length))
        out:close()
        received = lpath
    elseif opcode == 12 then
        send(0, "{}")
        if received then done = true end
    elseif opcode == 17 then
        io.stderr:write("wrong password\n")
        os.exit(3)
    elseif opcode ~= nil then
        send(0, "{}")
    end
end

while not done do
    local index = buffer:find("%[")
    local size = index and tonumber(buffer:sub(1, index - 1))
    if size and #buffer >= index - 1 + size then
        local json = buffer:sub(index, index - 1 + size)
        buffer = buffer:sub(index + size)
        on_message(json)
    else
        local chunk, err, partial = tcp:receive(1)
        assert(chunk or (partial and #partial > 0), err)
        buffer = buffer .. (chunk or partial)
    end
end
send(12, "{}")
tcp:close()
print(received)
