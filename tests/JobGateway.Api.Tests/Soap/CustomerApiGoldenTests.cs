using System.Net;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Core.Jobs;

namespace JobGateway.Api.Tests.Soap;

/// <summary>DiscountASP <c>GetJobStatus</c> on the wire: raw SOAP 1.1/1.2 against golden replies.</summary>
public sealed class CustomerApiGoldenTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private const string Action = "\"http://api.discountasp.net/GetJobStatus\"";

    [Fact]
    public async Task GetJobStatus_Soap11_PendingJobHasNilCompletedDateTime()
    {
        var tenant = await gateway.CreateTenantAsync();
        var job = await TestJobs.CreateAsync(gateway, tenant.ClientId, name: "Create site");

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.GetJobStatus(tenant.ApiKey, job.Id.ToString())), Action);

        Golden.AssertMatches("GetJobStatus11_Pending", reply);
    }

    [Fact]
    public async Task GetJobStatus_Soap12_PendingJob()
    {
        var tenant = await gateway.CreateTenantAsync();
        var job = await TestJobs.CreateAsync(gateway, tenant.ClientId, name: "Create site");

        var reply = await PostAsync(Envelopes.Soap12Type, Envelopes.Soap12(Envelopes.GetJobStatus(tenant.ApiKey, job.Id.ToString())));

        Golden.AssertMatches("GetJobStatus12_Pending", reply);
    }

    [Fact]
    public async Task GetJobStatus_RunningJob_IsRunning()
    {
        var tenant = await gateway.CreateTenantAsync();
        var job = await TestJobs.StartAsync(gateway, await TestJobs.CreateAsync(gateway, tenant.ClientId, name: "Create site"));

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.GetJobStatus(tenant.ApiKey, job.Id.ToString())), Action);

        Golden.AssertMatches("GetJobStatus11_Running", reply);
    }

    [Fact]
    public async Task GetJobStatus_SucceededJob_IsCompletedWithCompletedDateTime()
    {
        var tenant = await gateway.CreateTenantAsync();
        var job = await TestJobs.SucceedAsync(gateway, await TestJobs.CreateAsync(gateway, tenant.ClientId, name: "Create site"), report: null);

        var reply = await PostAsync(Envelopes.Soap12Type, Envelopes.Soap12(Envelopes.GetJobStatus(tenant.ApiKey, job.Id.ToString())));

        Golden.AssertMatches("GetJobStatus12_Completed", reply);
    }

    [Fact]
    public async Task GetJobStatus_FailedJob_CarriesErrorMessage()
    {
        var tenant = await gateway.CreateTenantAsync();
        var job = await TestJobs.FailAsync(
            gateway,
            await TestJobs.CreateAsync(gateway, tenant.ClientId, name: "Create site"),
            new JobError("quota", "Disk quota <exceeded> & site not created."));

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.GetJobStatus(tenant.ApiKey, job.Id.ToString())), Action);

        Golden.AssertMatches("GetJobStatus11_Failed", reply);
    }

    [Fact]
    public async Task GetJobStatus_CancelledJob_IsCancelled()
    {
        var tenant = await gateway.CreateTenantAsync();
        var job = await TestJobs.CancelAsync(gateway, await TestJobs.CreateAsync(gateway, tenant.ClientId));

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.GetJobStatus(tenant.ApiKey, job.Id.ToString())), Action);

        Golden.AssertMatches("GetJobStatus11_Cancelled", reply);
    }

    [Fact]
    public async Task GetJobStatus_JobIdNotAGuid_FaultsNamingJobId()
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.GetJobStatus(tenant.ApiKey, "12345")), Action);

        Golden.AssertMatches("GetJobStatus11_JobIdNotAGuid", reply);
    }

    [Fact]
    public async Task GetJobStatus_WithoutJobId_FaultsNamingJobId()
    {
        var tenant = await gateway.CreateTenantAsync();
        var body = $"""<GetJobStatus xmlns="http://api.discountasp.net/"><key>{tenant.ApiKey}</key></GetJobStatus>""";

        var reply = await PostAsync(Envelopes.Soap12Type, Envelopes.Soap12(body));

        Golden.AssertMatches("GetJobStatus12_MissingJobId", reply);
    }

    [Fact]
    public async Task GetJobStatus_UnknownKey_FaultsClient()
    {
        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.GetJobStatus("jg_wrong", Guid.NewGuid().ToString())), Action);

        Golden.AssertMatches("GetJobStatus11_BadKey", reply);
    }

    [Fact]
    public async Task GetJobStatus_UnknownAndOtherTenantsJob_FaultAlike()
    {
        var tenant = await gateway.CreateTenantAsync();
        var other = await gateway.CreateTenantAsync();
        var othersJob = await TestJobs.CreateAsync(gateway, other.ClientId, name: "secret");
        var unknownId = Guid.NewGuid();

        var unknown = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.GetJobStatus(tenant.ApiKey, unknownId.ToString())), Action);
        var foreign = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.GetJobStatus(tenant.ApiKey, othersJob.Id.ToString())), Action);

        Golden.AssertMatches("GetJobStatus11_NotFound", unknown, Golden.Text(unknownId.ToString(), "jobId"));
        Golden.AssertMatches("GetJobStatus11_NotFound", foreign, Golden.Text(othersJob.Id.ToString(), "jobId"));
    }

    [Fact]
    public async Task HttpGet_IsNotOffered()
    {
        var reply = await SoapHttp.GetAsync(gateway.CreateClient(), $"/1.0/customerapi.asmx/GetJobStatus?key=k&jobId={Guid.NewGuid()}");

        Golden.AssertMatches("CustomerApi_HttpGetUnrecognized", reply);
    }

    [Fact]
    public async Task HttpPost_IsNotOffered()
    {
        var reply = await SoapHttp.PostFormAsync(gateway.CreateClient(), "/1.0/customerapi.asmx/GetJobStatus", "key=k");

        Golden.AssertMatches("CustomerApi_HttpGetUnrecognized", reply);
    }

    [Fact]
    public async Task GetJobStatus_WithConfiguredStatusWord_AnswersIt()
    {
        using var custom = new GatewayFactory();
        custom.Settings["Soap:StatusWords:DiscountAsp:Succeeded"] = "Done";
        var tenant = await custom.CreateTenantAsync();
        var job = await TestJobs.SucceedAsync(custom, await TestJobs.CreateAsync(custom, tenant.ClientId), report: null);

        var reply = await SoapHttp.PostAsync(custom.CreateClient(), SoapHttp.CustomerApiPath, Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.GetJobStatus(tenant.ApiKey, job.Id.ToString())), Action);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Contains("<Status>Done</Status>", reply.Body, StringComparison.Ordinal);
    }

    private Task<SoapReply> PostAsync(string contentType, string body, string? soapAction = null) =>
        SoapHttp.PostAsync(gateway.CreateClient(), SoapHttp.CustomerApiPath, contentType, body, soapAction);
}
