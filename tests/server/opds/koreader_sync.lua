-- KOReader's own catalog sync ("Sync catalog" in opds.koplugin), run headless under LuaJIT.
--
-- Loads the plugin's `opdsbrowser.lua`, its `opdsparser.lua` and KOReader's `luxl.lua` and
-- `util.lua` unchanged (tests/data/koreader/), with LuaSocket for HTTP, as on a device; only the
-- screen, the settings, the JSON decoder and the C libraries around them are stood in for. The catalog
-- entry is ticked "Sync catalog" and remembers its `last_download` between syncs, and the
-- catalog cache (keyed by address and Last-Modified, 20 slots) lives as long as this process,
-- as on a device that stays on.
--
-- usage: luajit koreader_sync.lua <koreader folder> <catalog url> <user> <password>
--        <sync folder> <max files> <accept>
-- <accept>: "opds2" asks as this plugin does (OPDS 2.0 JSON first); "none" sends no Accept
-- header, as KOReader did before v2026.07 (the catalog then answers Atom).
-- Each line "sync" on stdin runs "Sync all catalogs" and answers "synced <last_download>";
-- the messages KOReader would show go to stderr.

local here, catalog_url, user, password, sync_dir, max_dl, accept = unpack(arg)
package.path = here .. "/?.lua;" .. package.path

local function stub(name, module)
    package.preload[name] = function() return module end
end

local function widget(fields)
    return setmetatable(fields or {}, { __index = function() return function() end end })
end

local Widget = {}
function Widget:new(o) return widget(o) end
for _, name in ipairs({
    "ui/widget/buttondialog", "ui/widget/checkbutton", "ui/widget/confirmbox",
    "ui/widget/inputdialog", "ui/widget/multiinputdialog", "ui/widget/notification",
    "ui/widget/spinwidget", "ui/widget/textviewer",
}) do
    stub(name, Widget)
end
stub("ui/widget/infomessage", { new = function(_, o) return o end })
stub("ui/uimanager", {
    show = function(_, w)
        if w and w.text then io.stderr:write("KOReader says: ", tostring(w.text), "\n") end
    end,
    close = function() end,
    forceRePaint = function() end,
    scheduleIn = function() end,
})
stub("ui/trapper", {
    wrap = function(_, fn) return fn() end,
    dismissableRunInSubprocess = function(_, fn) return true, fn() end,
})
stub("ui/widget/menu", { extend = function(_, o) return o end })
stub("ui/bidi", { url = function(s) return s end, filepath = function(s) return s end })
stub("ui/network/manager", {})
stub("device", {})
stub("opdspse", {})
stub("logger", widget({}))
-- `json` (the catalog answers KOReader's Accept in OPDS 2.0 JSON) is the pure-Lua json.lua
-- beside the plugin's files, standing in for the JSON module of KOReader's runtime.

local Cache = {}
function Cache:new(o)  -- KOReader's in-memory LRU cache, as the catalog cache uses it
    o = o or {}
    o.items, o.order = {}, {}
    function o:check(key) return self.items[key] end
    function o:insert(key, value)
        if self.items[key] == nil then table.insert(self.order, key) end
        self.items[key] = value
        while #self.order > self.slots do
            self.items[table.remove(self.order, 1)] = nil
        end
    end
    return o
end
stub("cache", Cache)

local EXTENSIONS = { epub = true, pdf = true, cbz = true, fb2 = true, mobi = true, azw3 = true,
    txt = true, djvu = true, html = true, rtf = true, docx = true, zip = true }
local MIME = { ["application/epub+zip"] = "epub", ["application/pdf"] = "pdf" }
stub("document/documentregistry", {
    hasProvider = function(_, file, mimetype)
        if file then return EXTENSIONS[file:match("%.([^.]+)$") or ""] == true end
        return MIME[mimetype or ""] ~= nil
    end,
    mimeToExt = function(_, mimetype) return MIME[mimetype] end,
})

local gettext = setmetatable({
    ngettext = function(one, many, n) return n == 1 and one or many end,
    pgettext = function(_, s) return s end,
}, { __call = function(_, s) return s end })
stub("gettext", gettext)
stub("ffi/util", {
    template = function(s, ...)
        local values = { ... }
        return (s:gsub("%%(%d)", function(n) return tostring(values[tonumber(n)]) end))
    end,
    isAndroid = function() return false end,
})
stub("ffi/utf8proc", {})
stub("ffi/sha2", { md5 = function() end })
stub("libs/libkoreader-lfs", {
    attributes = function(path, field)
        local file = io.open(path, "rb")
        if not file then return nil end
        local size = file:seek("end")
        file:close()
        local attributes = { mode = "file", size = size, modification = os.time() }
        if field then return attributes[field] end
        return attributes
    end,
})
stub("socketutil", {
    LARGE_BLOCK_TIMEOUT = 10, LARGE_TOTAL_TIMEOUT = 30,
    FILE_BLOCK_TIMEOUT = 10, FILE_TOTAL_TIMEOUT = 30,
    set_timeout = function() end,
    reset_timeout = function() end,
    redact_request = function(r) return r end,
    redact_headers = function(h) return h end,
})

local OPDSBrowser = require("opdsbrowser")
if accept == "none" then
    OPDSBrowser.opds20_feed = nil
end

-- What the plugin keeps in its settings between two openings of the catalog.
local server = { title = "BookOrbit", url = catalog_url, username = user, password = password,
    sync = true }
local settings = { sync_dir = sync_dir, sync_max_dl = tonumber(max_dl) }
local pending_syncs = {}

for line in io.lines() do
    if line == "sync" then
        -- The user opens the catalog (a new browser, as `OPDS:onShowOPDSCatalog` makes it)
        -- and taps "Sync all catalogs".
        local browser = setmetatable({
            settings = settings,
            servers = { server },
            pending_syncs = pending_syncs,
            _manager = {},
        }, { __index = OPDSBrowser })
        browser:checkSyncDownload()
        io.write("synced ", tostring(server.last_download), "\n")
        io.flush()
    end
end
