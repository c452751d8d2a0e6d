using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using JobGateway.Api.Tests.Infrastructure;

namespace JobGateway.Api.Tests.Soap;

/// <summary>One store, many views: jobs made on one surface are read on the others.</summary>
public sealed class CrossSurfaceTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private static readonly XNamespace DiscountAsp = "http://api.discountasp.net/";
    private static readonly XNamespace MagnetMail = "http://www.magnetmail.net/";
    private static readonly XNamespace T2A = "https://api.t2a.io/soap";

    [Fact]
    public async Task JobCreatedOverNativeApi_IsReadByBothStatusOperations()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var rest = gateway.CreateClient(tenant.ApiKey);
        var created = await NativeApi.CreateJobAsync(rest, "billing-run", "November run");
        var id = created.GetProperty("id").GetString()!;
        var number = created.GetProperty("number").GetInt64();

        var discountAsp = await SoapHttp.PostAsync(
            gateway.CreateClient(), SoapHttp.CustomerApiPath, Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.GetJobStatus(tenant.ApiKey, id)));
        var magnetMail = await SoapHttp.PostAsync(
            gateway.CreateClient(),
            SoapHttp.MagnetMailPath,
            Envelopes.Soap12Type,
            Envelopes.Soap12(Envelopes.GetUploadJobStatus("u-1", number.ToString(CultureInfo.InvariantCulture)), Envelopes.MmAuthHeader(tenant.ApiKey)));

        Assert.Equal(HttpStatusCode.OK, discountAsp.Status);
        var status = Result(discountAsp, DiscountAsp + "GetJobStatusResult");
        Assert.Equal("November run", (string?)status.Element(DiscountAsp + "JobName"));
        Assert.Equal("Pending", (string?)status.Element(DiscountAsp + "Status"));

        Assert.Equal(HttpStatusCode.OK, magnetMail.Status);
        var upload = Result(magnetMail, MagnetMail + "getUploadJobStatusResult");
        Assert.Equal(number, (long)upload.Element(MagnetMail + "jobid")!);
        Assert.Equal("0", (string?)upload.Element(MagnetMail + "status"));
        Assert.Equal("November run", (string?)upload.Element(MagnetMail + "user_filename"));
        Assert.Equal("u-1", (string?)upload.Element(MagnetMail + "user_id"));
    }

    [Fact]
    public async Task JobCreatedOverT2A_IsReadByNativeApi()
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await SoapHttp.PostAsync(
            gateway.CreateClient(), SoapHttp.T2APath, Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "from-t2a")));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var number = long.Parse((string)Result(reply, T2A + "job_createResult").Element(T2A + "job_id_raw")!, CultureInfo.InvariantCulture);
        using var rest = gateway.CreateClient(tenant.ApiKey);
        var listed = Assert.Single(await NativeApi.ListJobsAsync(rest), j => j.GetProperty("number").GetInt64() == number);
        var job = await rest.GetFromJsonAsync<JsonElement>($"/api/jobs/{listed.GetProperty("id").GetString()}");
        Assert.Equal("t2a", job.GetProperty("type").GetString());
        Assert.Equal("from-t2a", job.GetProperty("name").GetString());
        Assert.Equal("pending", job.GetProperty("status").GetString());
    }

    [Fact]
    public async Task JobCreatedOverT2A_IsReadByGetJobStatusAfterItFailed()
    {
        var tenant = await gateway.CreateTenantAsync();
        await SoapHttp.GetAsync(gateway.CreateClient(), $"/soap/t2a.asmx/job_create?api_key={Uri.EscapeDataString(tenant.ApiKey)}&client=c1");
        var job = await TestJobs.FailAsync(
            gateway,
            (await TestJobs.ListAsync(gateway, tenant.ClientId)).Single(),
            new Core.Jobs.JobError("timeout", "The lookup timed out."));

        var reply = await SoapHttp.PostAsync(
            gateway.CreateClient(), SoapHttp.CustomerApiPath, Envelopes.Soap12Type, Envelopes.Soap12(Envelopes.GetJobStatus(tenant.ApiKey, job.Id.ToString())));

        var status = Result(reply, DiscountAsp + "GetJobStatusResult");
        Assert.Equal("Failed", (string?)status.Element(DiscountAsp + "Status"));
        Assert.Equal("The lookup timed out.", (string?)status.Element(DiscountAsp + "ErrorMessage"));
        Assert.Equal(job.FinishedAt, (DateTimeOffset?)status.Element(DiscountAsp + "CompletedDateTime"));
    }

    private static XElement Result(SoapReply reply, XName result) =>
        XDocument.Parse(reply.Body).Descendants(result).Single();
}
