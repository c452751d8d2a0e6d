using System.Globalization;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Core.Jobs;

namespace JobGateway.Api.Tests.Soap;

/// <summary>MagnetMail <c>getUploadJobStatus</c> with its <c>mmAuthHeader</c>: raw SOAP 1.1/1.2 against golden replies.</summary>
public sealed class MagnetMailGoldenTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private const string Action = "\"http://www.magnetmail.net/getUploadJobStatus\"";

    [Fact]
    public async Task GetUploadJobStatus_Soap11_PendingJob()
    {
        var tenant = await gateway.CreateTenantAsync();
        var job = await TestJobs.CreateAsync(gateway, tenant.ClientId, name: "contacts.csv");

        var reply = await PostAsync(Envelopes.Soap11Type, Soap11For(tenant.ApiKey, job.Number), Action);

        Golden.AssertMatches("UploadJobStatus11_Pending", reply, Golden.Element("jobid", job.Number, "jobNumber"));
    }

    [Fact]
    public async Task GetUploadJobStatus_Soap12_PendingJob()
    {
        var tenant = await gateway.CreateTenantAsync();
        var job = await TestJobs.CreateAsync(gateway, tenant.ClientId, name: "contacts.csv");

        var reply = await PostAsync(Envelopes.Soap12Type, Envelopes.Soap12(Body(job.Number), Envelopes.MmAuthHeader(tenant.ApiKey)));

        Golden.AssertMatches("UploadJobStatus12_Pending", reply, Golden.Element("jobid", job.Number, "jobNumber"));
    }

    [Fact]
    public async Task GetUploadJobStatus_RunningJob_IsStatus1()
    {
        var tenant = await gateway.CreateTenantAsync();
        var job = await TestJobs.StartAsync(gateway, await TestJobs.CreateAsync(gateway, tenant.ClientId, name: "contacts.csv"));

        var reply = await PostAsync(Envelopes.Soap11Type, Soap11For(tenant.ApiKey, job.Number), Action);

        Golden.AssertMatches("UploadJobStatus11_Running", reply, Golden.Element("jobid", job.Number, "jobNumber"));
    }

    [Fact]
    public async Task GetUploadJobStatus_SucceededJob_ReportsEveryCounter()
    {
        var tenant = await gateway.CreateTenantAsync();
        const string report = """
            {"total_records":120,"good_records":118,"new_added":100,"old_updated":18,"update_dups":2,
             "group_count":3,"groupid":77,"header":1,"loginid":9,"replace_group":0,
             "mm_filename":"mm_0001.csv","user_filename":"contacts-final.csv","ignored":{"nested":1}}
            """;
        var job = await TestJobs.SucceedAsync(gateway, await TestJobs.CreateAsync(gateway, tenant.ClientId, name: "contacts.csv"), report);

        var reply = await PostAsync(Envelopes.Soap11Type, Soap11For(tenant.ApiKey, job.Number), Action);

        Golden.AssertMatches("UploadJobStatus11_Succeeded", reply, Golden.Element("jobid", job.Number, "jobNumber"));
    }

    [Fact]
    public async Task GetUploadJobStatus_FailedJob_FillsErrorAndErrorObj()
    {
        var tenant = await gateway.CreateTenantAsync();
        var job = await TestJobs.FailAsync(
            gateway,
            await TestJobs.CreateAsync(gateway, tenant.ClientId, name: "contacts.csv"),
            new JobError("bad_file", "The file is not a CSV file.", "line 3: unexpected quote"));

        var reply = await PostAsync(Envelopes.Soap12Type, Envelopes.Soap12(Body(job.Number), Envelopes.MmAuthHeader(tenant.ApiKey)));

        Golden.AssertMatches("UploadJobStatus12_Failed", reply, Golden.Element("jobid", job.Number, "jobNumber"));
    }

    [Fact]
    public async Task GetUploadJobStatus_CancelledJob_IsStatusMinus2()
    {
        var tenant = await gateway.CreateTenantAsync();
        var job = await TestJobs.CancelAsync(gateway, await TestJobs.CreateAsync(gateway, tenant.ClientId));

        var reply = await PostAsync(Envelopes.Soap11Type, Soap11For(tenant.ApiKey, job.Number), Action);

        Golden.AssertMatches("UploadJobStatus11_Cancelled", reply, Golden.Element("jobid", job.Number, "jobNumber"));
    }

    [Fact]
    public async Task GetUploadJobStatus_WithoutAuthHeader_FaultsClient()
    {
        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(Body(1)), Action);

        Golden.AssertMatches("UploadJobStatus11_MissingHeader", reply);
    }

    [Fact]
    public async Task GetUploadJobStatus_UnknownSessionId_FaultsClient()
    {
        var reply = await PostAsync(Envelopes.Soap12Type, Envelopes.Soap12(Body(1), Envelopes.MmAuthHeader("jg_wrong")));

        Golden.AssertMatches("UploadJobStatus12_BadSessionId", reply);
    }

    [Fact]
    public async Task GetUploadJobStatus_JobIdNotAnInt_FaultsNamingJobid()
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await PostAsync(
            Envelopes.Soap11Type,
            Envelopes.Soap11(Envelopes.GetUploadJobStatus("mm-user", "12.5"), Envelopes.MmAuthHeader(tenant.ApiKey)),
            Action);

        Golden.AssertMatches("UploadJobStatus11_JobIdNotAnInt", reply);
    }

    [Fact]
    public async Task GetUploadJobStatus_JobIdBeyondInt_FaultsNamingJobid()
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await PostAsync(
            Envelopes.Soap11Type,
            Envelopes.Soap11(Envelopes.GetUploadJobStatus("mm-user", "2147483648"), Envelopes.MmAuthHeader(tenant.ApiKey)),
            Action);

        Golden.AssertMatches("UploadJobStatus11_JobIdNotAnInt", reply);
    }

    [Fact]
    public async Task GetUploadJobStatus_WithoutUserId_FaultsNamingUserId()
    {
        var tenant = await gateway.CreateTenantAsync();
        var body = """<getUploadJobStatus xmlns="http://www.magnetmail.net/"><jobid>1</jobid></getUploadJobStatus>""";

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(body, Envelopes.MmAuthHeader(tenant.ApiKey)), Action);

        Golden.AssertMatches("UploadJobStatus11_MissingUserId", reply);
    }

    [Fact]
    public async Task GetUploadJobStatus_UnknownAndOtherTenantsJob_FaultAlike()
    {
        var tenant = await gateway.CreateTenantAsync();
        var other = await gateway.CreateTenantAsync();
        var othersJob = await TestJobs.CreateAsync(gateway, other.ClientId);

        var foreign = await PostAsync(Envelopes.Soap11Type, Soap11For(tenant.ApiKey, othersJob.Number), Action);
        var unknown = await PostAsync(Envelopes.Soap11Type, Soap11For(tenant.ApiKey, int.MaxValue), Action);

        Golden.AssertMatches("UploadJobStatus11_NotFound", foreign, ($"jobid {othersJob.Number} ", "jobid {jobNumber} "));
        Golden.AssertMatches("UploadJobStatus11_NotFound", unknown, ($"jobid {int.MaxValue} ", "jobid {jobNumber} "));
    }

    [Fact]
    public async Task GetUploadJobStatus_MustUnderstandOnOwnHeader_IsUnderstood()
    {
        var tenant = await gateway.CreateTenantAsync();
        var job = await TestJobs.CreateAsync(gateway, tenant.ClientId, name: "contacts.csv");
        var header = $"""<mmAuthHeader xmlns="http://www.magnetmail.net/" soap:mustUnderstand="1"><sessionId>{tenant.ApiKey}</sessionId></mmAuthHeader>""";

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(Body(job.Number), header), Action);

        Golden.AssertMatches("UploadJobStatus11_Pending", reply, Golden.Element("jobid", job.Number, "jobNumber"));
    }

    [Fact]
    public async Task HttpGet_IsNotOffered()
    {
        var reply = await SoapHttp.GetAsync(gateway.CreateClient(), "/mmapi.asmx/getUploadJobStatus?user_id=u&jobid=1");

        Golden.AssertMatches("MagnetMail_HttpGetUnrecognized", reply);
    }

    private static string Body(long jobNumber) => Envelopes.GetUploadJobStatus("mm-user", jobNumber.ToString(CultureInfo.InvariantCulture));

    private static string Soap11For(string apiKey, long jobNumber) => Envelopes.Soap11(Body(jobNumber), Envelopes.MmAuthHeader(apiKey));

    private Task<SoapReply> PostAsync(string contentType, string body, string? soapAction = null) =>
        SoapHttp.PostAsync(gateway.CreateClient(), SoapHttp.MagnetMailPath, contentType, body, soapAction);
}
