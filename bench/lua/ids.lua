-- Shared id source for the status scripts: a random line of IDS_FILE (one id per line), else a random
-- integer in ID_MIN..ID_MAX. Sets the global next_id().
local ids, nids
local lo = tonumber(os.getenv("ID_MIN") or "1")
local hi = tonumber(os.getenv("ID_MAX") or "1000")

function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0))
  local f = os.getenv("IDS_FILE")
  if f and f ~= "" then
    ids = {}
    for line in io.lines(f) do if line ~= "" then ids[#ids + 1] = line end end
    nids = #ids
    if nids == 0 then error("IDS_FILE " .. f .. " is empty") end
  end
end

function next_id()
  if ids then return ids[math.random(nids)] end
  return tostring(math.random(lo, hi))
end
