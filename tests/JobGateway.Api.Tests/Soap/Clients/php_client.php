<?php
// Drives one gateway ASMX service through PHP's SoapClient (ext-soap), over SOAP 1.1 and 1.2.
//
// usage: php php_client.php BASE_URL SERVICE API_KEY ARG...
//   SERVICE t2a          ARG: client labels for job_create
//   SERVICE discountasp  ARG: job GUIDs
//   SERVICE magnetmail   ARG: job numbers
//
// Loads BASE_URL/<path>?wsdl once per SOAP version and calls the service's operation once per ARG, printing
// one line per call: "<soap11|soap12> <envelope version> ok key=value ..." or "... fault <message>"; then
// calls once with a wrong key and prints the fault.

error_reporting(E_ALL);
set_error_handler(function ($severity, $message) {
    // A warning or notice (an unreadable WSDL, a missing property) must fail the run, not scroll by.
    fwrite(STDERR, "php error: $message\n");
    exit(2);
});

$base = $argv[1];
$service = $argv[2];
$key = $argv[3];
$args = array_slice($argv, 4);
$paths = ['t2a' => '/soap/t2a.asmx', 'discountasp' => '/1.0/customerapi.asmx', 'magnetmail' => '/mmapi.asmx'];

function call(string $service, SoapClient $client, string $key, string $arg): array
{
    switch ($service) {
        case 't2a':
            $r = $client->job_create(['api_key' => $key, 'client' => $arg])->job_createResult;
            return ['job_id' => $r->job_id, 'job_id_raw' => $r->job_id_raw];
        case 'discountasp':
            $r = $client->GetJobStatus(['key' => $key, 'jobId' => $arg])->GetJobStatusResult;
            return [
                'JobName' => $r->JobName,
                'Status' => $r->Status,
                'StartDateTime' => $r->StartDateTime,
                'CompletedDateTime' => $r->CompletedDateTime ?? 'null',
                'ErrorMessage' => $r->ErrorMessage,
            ];
        default:
            $client->__setSoapHeaders([
                new SoapHeader('http://www.magnetmail.net/', 'mmAuthHeader', ['sessionId' => $key, 'user_id' => 'mm-user']),
            ]);
            $r = $client->getUploadJobStatus(['user_id' => 'mm-user', 'jobid' => (int)$arg])->getUploadJobStatusResult;
            return [
                'jobid' => (int)$r->jobid,
                'status' => (int)$r->status,
                'error' => (int)$r->error,
                'errorCode' => $r->errorObj->errorCode,
                'total_records' => (int)$r->total_records,
                'good_records' => (int)$r->good_records,
                'new_added' => (int)$r->new_added,
                'complete_date' => $r->complete_date ?? 'null',
                'upload_date' => $r->upload_date,
                'user_id' => $r->user_id,
            ];
    }
}

function client(string $wsdl, int $version): SoapClient
{
    return new SoapClient($wsdl, ['soap_version' => $version, 'cache_wsdl' => WSDL_CACHE_NONE, 'exceptions' => true, 'trace' => true]);
}

$wsdl = $base . $paths[$service] . '?wsdl';
foreach (['soap11' => SOAP_1_1, 'soap12' => SOAP_1_2] as $name => $version) {
    $client = client($wsdl, $version);
    foreach ($args as $arg) {
        try {
            $values = call($service, $client, $key, $arg);
            $outcome = 'ok ' . implode(' ', array_map(fn($k, $v) => "$k=$v", array_keys($values), array_values($values)));
        } catch (SoapFault $fault) {
            $outcome = "fault {$fault->getMessage()}";
        }
        $envelope = str_contains((string)$client->__getLastRequest(), 'http://www.w3.org/2003/05/soap-envelope') ? '1.2' : '1.1';
        echo "$name $envelope $outcome\n";
    }
}

try {
    call($service, client($wsdl, SOAP_1_1), 'not-a-key', $args[0]);
    echo "badkey ok\n";
} catch (SoapFault $fault) {
    echo "badkey fault {$fault->getMessage()}\n";
}
