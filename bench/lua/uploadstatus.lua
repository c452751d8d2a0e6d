-- MagnetMail getUploadJobStatus(user_id, jobid) over SOAP 1.1 at BENCH_PATH (/mmapi.asmx), the API key in
-- the mmAuthHeader/sessionId header; jobid = a random job number from IDS_FILE.
dofile((os.getenv("BENCH_LUA_DIR") or ".") .. "/report.lua")
dofile(os.getenv("BENCH_LOCAL_LUA_DIR") .. "/ids.lua")
local path = os.getenv("BENCH_PATH") or "/mmapi.asmx"
local headers = {
  ["Content-Type"] = "text/xml; charset=utf-8",
  ["SOAPAction"] = '"http://www.magnetmail.net/getUploadJobStatus"',
}
local head = '<?xml version="1.0" encoding="utf-8"?>' ..
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">' ..
  '<soap:Header><mmAuthHeader xmlns="http://www.magnetmail.net/"><sessionId>' ..
  (os.getenv("API_KEY") or "bench-api-key") .. '</sessionId></mmAuthHeader></soap:Header>' ..
  '<soap:Body><getUploadJobStatus xmlns="http://www.magnetmail.net/"><user_id>' ..
  (os.getenv("CLIENT") or "bench") .. '</user_id><jobid>'
local tail = '</jobid></getUploadJobStatus></soap:Body></soap:Envelope>'

function request()
  return wrk.format("POST", path, headers, head .. next_id() .. tail)
end
