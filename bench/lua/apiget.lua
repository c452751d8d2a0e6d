-- Native status read: GET BENCH_PATH (/api/jobs/{id}) with Authorization: Bearer API_KEY,
-- {id} = a random job id (GUID) from IDS_FILE.
dofile((os.getenv("BENCH_LUA_DIR") or ".") .. "/report.lua")
dofile(os.getenv("BENCH_LOCAL_LUA_DIR") .. "/ids.lua")
local template = os.getenv("BENCH_PATH") or "/api/jobs/{id}"
local headers = {
  ["Authorization"] = "Bearer " .. (os.getenv("API_KEY") or "bench-api-key"),
  ["Accept"] = "application/json",
}

function request()
  return wrk.format("GET", (template:gsub("{id}", next_id())), headers)
end
