using System.Globalization;
using JobGateway.Core.Jobs;

namespace JobGateway.Api.Tests.Soap;

/// <summary>
/// Real SOAP stacks load each <c>?wsdl</c> and call each operation over SOAP 1.1 and 1.2 against the gateway on
/// Kestrel: python zeep and PHP SoapClient, one process per client and service.
/// </summary>
public sealed class RealClientTests(KestrelGatewayFactory gateway) : IClassFixture<KestrelGatewayFactory>
{
    [RealClientFact(RealClient.Zeep)]
    public Task Zeep_T2A_CreatesJobsOverSoap11AndSoap12() => T2ACreatesJobsAsync(RealClient.Zeep, ["T2ASoap 1.1", "T2ASoap12 1.2"]);

    [RealClientFact(RealClient.PhpSoap)]
    public Task Php_T2A_CreatesJobsOverSoap11AndSoap12() => T2ACreatesJobsAsync(RealClient.PhpSoap, ["soap11 1.1", "soap12 1.2"]);

    [RealClientFact(RealClient.Zeep)]
    public Task Zeep_DiscountAsp_ReadsJobsCreatedOverRest() => DiscountAspReadsJobsAsync(RealClient.Zeep, ["CustomerApiSoap 1.1", "CustomerApiSoap12 1.2"]);

    [RealClientFact(RealClient.PhpSoap)]
    public Task Php_DiscountAsp_ReadsJobsCreatedOverRest() => DiscountAspReadsJobsAsync(RealClient.PhpSoap, ["soap11 1.1", "soap12 1.2"]);

    [RealClientFact(RealClient.Zeep)]
    public Task Zeep_MagnetMail_ReadsUploadJobs() =>
        MagnetMailReadsJobsAsync(RealClient.Zeep, ["MagnetMail_x0020_Web_x0020_ServiceSoap 1.1", "MagnetMail_x0020_Web_x0020_ServiceSoap12 1.2"]);

    [RealClientFact(RealClient.PhpSoap)]
    public Task Php_MagnetMail_ReadsUploadJobs() => MagnetMailReadsJobsAsync(RealClient.PhpSoap, ["soap11 1.1", "soap12 1.2"]);

    private async Task T2ACreatesJobsAsync(RealClient client, string[] calls)
    {
        var tenant = await gateway.CreateTenantAsync();

        var lines = await RealClients.RunAsync(client, gateway.BaseUrl, "t2a", tenant.ApiKey, "label-" + client);

        var jobs = await TestJobs.ListAsync(gateway, tenant.ClientId);
        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, j => Assert.Equal(("t2a", "label-" + client, JobStatus.Pending), (j.Type, j.Name, j.Status)));
        string[] expected =
        [
            .. calls.Zip(jobs, (call, job) => $"{call} ok job_id={job.Number.ToString("D12", CultureInfo.InvariantCulture)} job_id_raw={job.Number}"),
            "badkey fault Access denied: api_key is not a valid API key.",
        ];
        Assert.Equal(expected, lines);
    }

    private async Task DiscountAspReadsJobsAsync(RealClient client, string[] calls)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var rest = gateway.CreateClient(tenant.ApiKey);
        var pending = Guid.Parse((await NativeApi.CreateJobAsync(rest, "site-create", "www.example.com")).GetProperty("id").GetString()!);
        var failedId = Guid.Parse((await NativeApi.CreateJobAsync(rest, "site-create", "shop.example.com")).GetProperty("id").GetString()!);
        var jobs = await TestJobs.ListAsync(gateway, tenant.ClientId);
        var failed = await TestJobs.FailAsync(gateway, jobs.Single(j => j.Id == failedId), new JobError("dns", "No such zone."));

        var lines = await RealClients.RunAsync(client, gateway.BaseUrl, "discountasp", tenant.ApiKey, pending.ToString(), failedId.ToString());

        Assert.Equal(5, lines.Length);
        foreach (var (call, index) in calls.Select((c, i) => (c, i * 2)))
        {
            Assert.StartsWith($"{call} ok JobName=www.example.com Status=Pending StartDateTime=", lines[index], StringComparison.Ordinal);
            Assert.Matches(@"CompletedDateTime=(None|null) ErrorMessage=(None)?$", lines[index]);
            Assert.StartsWith($"{call} ok JobName=shop.example.com Status=Failed StartDateTime=", lines[index + 1], StringComparison.Ordinal);
            Assert.Matches(@"CompletedDateTime=2026-01-05T09:00:00(\+00:00|Z) ErrorMessage=No such zone\.$", lines[index + 1]);
        }

        Assert.Equal("badkey fault Access denied: key is not a valid API key.", lines[4]);
        Assert.Equal(JobStatus.Failed, failed.Status);
    }

    private async Task MagnetMailReadsJobsAsync(RealClient client, string[] calls)
    {
        var tenant = await gateway.CreateTenantAsync();
        var pending = await TestJobs.CreateAsync(gateway, tenant.ClientId, name: "list.csv");
        var done = await TestJobs.SucceedAsync(
            gateway,
            await TestJobs.CreateAsync(gateway, tenant.ClientId, name: "list2.csv"),
            """{"total_records":10,"good_records":9,"new_added":7}""");

        var lines = await RealClients.RunAsync(
            client,
            gateway.BaseUrl,
            "magnetmail",
            tenant.ApiKey,
            pending.Number.ToString(CultureInfo.InvariantCulture),
            done.Number.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(5, lines.Length);
        foreach (var (call, index) in calls.Select((c, i) => (c, i * 2)))
        {
            Assert.StartsWith(
                $"{call} ok jobid={pending.Number} status=0 error=0 errorCode={(client == RealClient.Zeep ? "None" : string.Empty)} total_records=0 good_records=0 new_added=0 complete_date=",
                lines[index],
                StringComparison.Ordinal);
            Assert.Matches("complete_date=(None|null) upload_date=2026-01-05T09:00:00(\\+00:00|Z) user_id=mm-user$", lines[index]);
            Assert.StartsWith($"{call} ok jobid={done.Number} status=2 error=0 ", lines[index + 1], StringComparison.Ordinal);
            Assert.Contains("total_records=10 good_records=9 new_added=7 complete_date=2026-01-05T09:00:00", lines[index + 1], StringComparison.Ordinal);
        }

        Assert.Equal("badkey fault Access denied: mmAuthHeader/sessionId is not a valid API key.", lines[4]);
    }
}
