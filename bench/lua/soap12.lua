-- SOAP 1.2 T2A job_create: application/soap+xml with the action parameter. Static request.
-- Env: BENCH_PATH (/soap/t2a.asmx) API_KEY CLIENT SOAP_NS SOAP_OP; counting via the shared report.lua.
dofile((os.getenv("BENCH_LUA_DIR") or ".") .. "/report.lua")
local ns = os.getenv("SOAP_NS") or "https://api.t2a.io/soap"
local op = os.getenv("SOAP_OP") or "job_create"
wrk.method = "POST"
wrk.path = os.getenv("BENCH_PATH") or "/soap/t2a.asmx"
wrk.headers["Content-Type"] = 'application/soap+xml; charset=utf-8; action="' .. ns .. "/" .. op .. '"'
wrk.body = '<?xml version="1.0" encoding="utf-8"?>' ..
  '<soap12:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' ..
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap12="http://www.w3.org/2003/05/soap-envelope">' ..
  '<soap12:Body><' .. op .. ' xmlns="' .. ns .. '">' ..
  '<api_key>' .. (os.getenv("API_KEY") or "bench-api-key") .. '</api_key>' ..
  '<client>' .. (os.getenv("CLIENT") or "bench-client") .. '</client>' ..
  '</' .. op .. '></soap12:Body></soap12:Envelope>'
