-- DiscountASP GetJobStatus(key, jobId) over SOAP 1.1 at BENCH_PATH (/1.0/customerapi.asmx);
-- jobId = a random job GUID from IDS_FILE, key = API_KEY.
dofile((os.getenv("BENCH_LUA_DIR") or ".") .. "/report.lua")
dofile(os.getenv("BENCH_LOCAL_LUA_DIR") .. "/ids.lua")
local path = os.getenv("BENCH_PATH") or "/1.0/customerapi.asmx"
local headers = {
  ["Content-Type"] = "text/xml; charset=utf-8",
  ["SOAPAction"] = '"http://api.discountasp.net/GetJobStatus"',
}
local head = '<?xml version="1.0" encoding="utf-8"?>' ..
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' ..
  '<GetJobStatus xmlns="http://api.discountasp.net/"><key>' .. (os.getenv("API_KEY") or "bench-api-key") ..
  '</key><jobId>'
local tail = '</jobId></GetJobStatus></soap:Body></soap:Envelope>'

function request()
  return wrk.format("POST", path, headers, head .. next_id() .. tail)
end
