"""Drives one gateway ASMX service through python zeep, over SOAP 1.1 and 1.2.

usage: zeep_client.py BASE_URL SERVICE API_KEY ARG...
  SERVICE t2a          ARG: client labels for job_create
  SERVICE discountasp  ARG: job GUIDs
  SERVICE magnetmail   ARG: job numbers

Loads BASE_URL/<path>?wsdl, binds each SOAP port of the service and calls its operation once per ARG,
printing one line per call: "<port> <envelope version> ok key=value ..." or "<port> <version> fault
<message>". Then calls once with a wrong key and prints the fault.
"""
import sys

import zeep
from zeep.exceptions import Fault
from zeep.plugins import HistoryPlugin

SERVICES = {
    "t2a": ("/soap/t2a.asmx", "T2A", ["T2ASoap", "T2ASoap12"]),
    "discountasp": ("/1.0/customerapi.asmx", "CustomerApi", ["CustomerApiSoap", "CustomerApiSoap12"]),
    "magnetmail": (
        "/mmapi.asmx",
        "MagnetMail_x0020_Web_x0020_Service",
        ["MagnetMail_x0020_Web_x0020_ServiceSoap", "MagnetMail_x0020_Web_x0020_ServiceSoap12"],
    ),
}
ENVELOPES = {
    "{http://schemas.xmlsoap.org/soap/envelope/}Envelope": "1.1",
    "{http://www.w3.org/2003/05/soap-envelope}Envelope": "1.2",
}


def iso(value):
    return value.isoformat() if value is not None else None


def call(service, proxy, key, arg):
    if service == "t2a":
        r = proxy.job_create(api_key=key, client=arg)
        return {"job_id": r.job_id, "job_id_raw": r.job_id_raw}
    if service == "discountasp":
        r = proxy.GetJobStatus(key=key, jobId=arg)
        return {
            "JobName": r.JobName,
            "Status": r.Status,
            "StartDateTime": iso(r.StartDateTime),
            "CompletedDateTime": iso(r.CompletedDateTime),
            "ErrorMessage": r.ErrorMessage,
        }
    r = proxy.getUploadJobStatus(
        user_id="mm-user",
        jobid=int(arg),
        _soapheaders={"mmAuthHeader": {"sessionId": key, "user_id": "mm-user"}},
    )
    return {
        "jobid": int(r.jobid),
        "status": int(r.status),
        "error": int(r.error),
        "errorCode": r.errorObj.errorCode,
        "total_records": int(r.total_records),
        "good_records": int(r.good_records),
        "new_added": int(r.new_added),
        "complete_date": iso(r.complete_date),
        "upload_date": iso(r.upload_date),
        "user_id": r.user_id,
    }


def main():
    base, service, key, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    path, service_name, ports = SERVICES[service]
    history = HistoryPlugin()
    client = zeep.Client(base + path + "?wsdl", plugins=[history])
    for port in ports:
        proxy = client.bind(service_name, port)
        for arg in args:
            try:
                values = call(service, proxy, key, arg)
                outcome = "ok " + " ".join(f"{k}={v}" for k, v in values.items())
            except Fault as fault:
                outcome = "fault " + fault.message
            print(port, ENVELOPES.get(history.last_sent["envelope"].tag, "?"), outcome)
    try:
        call(service, client.bind(service_name, ports[0]), "not-a-key", args[0])
        print("badkey ok")
    except Fault as fault:
        print("badkey fault", fault.message)


if __name__ == "__main__":
    main()
