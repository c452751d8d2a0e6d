using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using JobGateway.Api.Tests.Infrastructure;

namespace JobGateway.Api.Tests.Soap;

/// <summary>T2A <c>job_create</c> on the wire: raw SOAP 1.1/1.2, HTTP GET and POST, against golden replies.</summary>
public sealed partial class T2AGoldenTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private const string Action = "\"https://api.t2a.io/soap/job_create\"";

    [Fact]
    public async Task JobCreate_Soap11_ReturnsJobNumber()
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "acme-11")), Action);

        AssertCreated("JobCreate_Soap11", reply);
        var job = Assert.Single(await JobsOfAsync(tenant));
        Assert.Equal(JobNumber(reply), job.GetProperty("number").GetInt64());
        Assert.Equal("t2a", job.GetProperty("type").GetString());
        Assert.Equal("acme-11", job.GetProperty("name").GetString());
        Assert.Equal("pending", job.GetProperty("status").GetString());
    }

    [Fact]
    public async Task JobCreate_Soap12_ReturnsJobNumber()
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await PostAsync(Envelopes.Soap12Type, Envelopes.Soap12(Envelopes.JobCreate(tenant.ApiKey, "acme-12")));

        AssertCreated("JobCreate_Soap12", reply);
        Assert.Equal("acme-12", Assert.Single(await JobsOfAsync(tenant)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task JobCreate_Soap12WithActionParameter_ReturnsJobNumber()
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await PostAsync(
            "application/soap+xml; charset=utf-8; action=\"https://api.t2a.io/soap/job_create\"",
            Envelopes.Soap12(Envelopes.JobCreate(tenant.ApiKey, "acme")));

        AssertCreated("JobCreate_Soap12", reply);
    }

    [Fact]
    public async Task JobCreate_Soap11WithoutSoapAction_IsRoutedByBody()
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "acme")));

        AssertCreated("JobCreate_Soap11", reply);
    }

    [Fact]
    public async Task JobCreate_Soap11WithEmptySoapAction_IsRoutedByBody()
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "acme")), "\"\"");

        AssertCreated("JobCreate_Soap11", reply);
    }

    [Fact]
    public async Task JobCreate_Soap12EnvelopeAsTextXml_AnswersInSoap12()
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await PostAsync("text/xml", Envelopes.Soap12(Envelopes.JobCreate(tenant.ApiKey, "acme")));

        AssertCreated("JobCreate_Soap12", reply);
    }

    [Fact]
    public async Task JobCreate_ParametersInAnyOrderWithUnknownElements_ReturnsJobNumber()
    {
        var tenant = await gateway.CreateTenantAsync();
        var body = $"""<job_create xmlns="https://api.t2a.io/soap"><extra><deep><deeper/></deep></extra><client>acme-any</client><other xmlns="urn:x">1</other><api_key>{tenant.ApiKey}</api_key></job_create>""";

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(body), Action);

        AssertCreated("JobCreate_Soap11", reply);
        Assert.Equal("acme-any", Assert.Single(await JobsOfAsync(tenant)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task JobCreate_HeaderForAnotherActorWithMustUnderstand_IsIgnored()
    {
        var tenant = await gateway.CreateTenantAsync();
        var header = """<x:Trace xmlns:x="urn:trace" soap:mustUnderstand="1" soap:actor="urn:some-proxy">1</x:Trace>""";

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "acme"), header), Action);

        AssertCreated("JobCreate_Soap11", reply);
    }

    [Fact]
    public async Task JobCreate_HttpGet_ReturnsJobCreateRes()
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await SoapHttp.GetAsync(Client(), $"/soap/t2a.asmx/job_create?api_key={Uri.EscapeDataString(tenant.ApiKey)}&client=acme%20get");

        AssertCreated("JobCreate_HttpGet", reply);
        Assert.Equal("acme get", Assert.Single(await JobsOfAsync(tenant)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task JobCreate_HttpPost_ReturnsJobCreateRes()
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await SoapHttp.PostFormAsync(Client(), "/soap/t2a.asmx/job_create", $"api_key={Uri.EscapeDataString(tenant.ApiKey)}&client=acme+post");

        AssertCreated("JobCreate_HttpPost", reply);
        Assert.Equal("acme post", Assert.Single(await JobsOfAsync(tenant)).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    [InlineData(null)]
    public async Task Post_WithNonSoapContentType_Returns415WithEmptyBody(string? contentType)
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await PostAsync(contentType, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "acme")), Action);

        Golden.AssertMatches("Status415", reply);
        Assert.Empty(await JobsOfAsync(tenant));
    }

    [Fact]
    public async Task Post_Soap11EnvelopeAsSoapXml_Returns415()
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await PostAsync(Envelopes.Soap12Type, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "acme")), Action);

        Golden.AssertMatches("Status415", reply);
        Assert.Empty(await JobsOfAsync(tenant));
    }

    [Fact]
    public async Task Post_UnknownEnvelopeNamespace_FaultsVersionMismatch()
    {
        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Envelope("urn:not-soap", Envelopes.JobCreate("k", "c")), Action);

        Golden.AssertMatches("Fault_VersionMismatch", reply);
    }

    [Fact]
    public async Task Post_UnknownSoapAction_FaultsClient()
    {
        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate("k", "c")), "\"https://api.t2a.io/soap/job_delete\"");

        Golden.AssertMatches("Fault11_UnknownSoapAction", reply);
    }

    [Fact]
    public async Task Post_UnknownActionParameter_FaultsSender()
    {
        var reply = await PostAsync("application/soap+xml; action=\"urn:nope\"", Envelopes.Soap12(Envelopes.JobCreate("k", "c")));

        Golden.AssertMatches("Fault12_UnknownAction", reply);
    }

    [Fact]
    public async Task Post_BodyElementOtherThanSoapAction_FaultsClient()
    {
        var tenant = await gateway.CreateTenantAsync();
        var body = $"""<job_status xmlns="https://api.t2a.io/soap"><api_key>{tenant.ApiKey}</api_key></job_status>""";

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(body), Action);

        Golden.AssertMatches("Fault11_BodyDoesNotMatchAction", reply);
    }

    [Fact]
    public async Task Post_UnknownBodyElementWithoutAction_FaultsSender()
    {
        var reply = await PostAsync(Envelopes.Soap12Type, Envelopes.Soap12("""<GetJobStatus xmlns="http://api.discountasp.net/"><key>k</key></GetJobStatus>"""));

        Golden.AssertMatches("Fault12_UnknownBodyElement", reply);
    }

    [Fact]
    public async Task Post_EmptyBody_FaultsClient()
    {
        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(string.Empty), Action);

        Golden.AssertMatches("Fault11_EmptyBody", reply);
    }

    [Fact]
    public async Task Post_MalformedXml_Returns400()
    {
        var tenant = await gateway.CreateTenantAsync();
        var truncated = Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "acme"))[..^20];

        var reply = await PostAsync(Envelopes.Soap11Type, truncated, Action);

        Golden.AssertMatches("Fault11_MalformedXml", reply);
        Assert.Empty(await JobsOfAsync(tenant));
    }

    [Fact]
    public async Task Post_MalformedSoap12_Returns400InSoap12()
    {
        var reply = await PostAsync(Envelopes.Soap12Type, "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body></soap:Envelop>");

        Golden.AssertMatches("Fault12_MalformedXml", reply);
    }

    [Fact]
    public async Task Post_UnderstoodNothingWithMustUnderstand_FaultsBeforeCreating()
    {
        var tenant = await gateway.CreateTenantAsync();
        var header = """<x:Transaction xmlns:x="urn:tx" soap:mustUnderstand="1">5</x:Transaction>""";

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "acme"), header), Action);

        Golden.AssertMatches("Fault11_MustUnderstand", reply);
        Assert.Empty(await JobsOfAsync(tenant));
    }

    [Fact]
    public async Task Post_Soap12MustUnderstand_FaultsWithNotUnderstoodBlock()
    {
        var tenant = await gateway.CreateTenantAsync();
        var header = """<x:Transaction xmlns:x="urn:tx" soap:mustUnderstand="true">5</x:Transaction>""";

        var reply = await PostAsync(Envelopes.Soap12Type, Envelopes.Soap12(Envelopes.JobCreate(tenant.ApiKey, "acme"), header));

        Golden.AssertMatches("Fault12_MustUnderstand", reply);
        Assert.Empty(await JobsOfAsync(tenant));
    }

    [Fact]
    public async Task JobCreate_WithoutClient_FaultsNamingIt()
    {
        var tenant = await gateway.CreateTenantAsync();
        var body = $"""<job_create xmlns="https://api.t2a.io/soap"><api_key>{tenant.ApiKey}</api_key></job_create>""";

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(body), Action);

        Golden.AssertMatches("Fault11_MissingClient", reply);
        Assert.Empty(await JobsOfAsync(tenant));
    }

    [Fact]
    public async Task JobCreate_WithNilClient_FaultsAsMissing()
    {
        var tenant = await gateway.CreateTenantAsync();
        var body = $"""<job_create xmlns="https://api.t2a.io/soap"><api_key>{tenant.ApiKey}</api_key><client xsi:nil="true"/></job_create>""";

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(body), Action);

        Golden.AssertMatches("Fault11_MissingClient", reply);
    }

    [Fact]
    public async Task JobCreate_UnqualifiedParameters_FaultAsMissing()
    {
        // The WSDL says elementFormDefault="qualified": an element in no namespace is not the parameter.
        var tenant = await gateway.CreateTenantAsync();
        var body = $"""<t:job_create xmlns:t="https://api.t2a.io/soap"><api_key>{tenant.ApiKey}</api_key><client>c</client></t:job_create>""";

        var reply = await PostAsync(Envelopes.Soap12Type, Envelopes.Soap12(body));

        Golden.AssertMatches("Fault12_MissingApiKey", reply);
    }

    [Fact]
    public async Task JobCreate_RepeatedParameter_Faults()
    {
        var tenant = await gateway.CreateTenantAsync();
        var body = $"""<job_create xmlns="https://api.t2a.io/soap"><api_key>{tenant.ApiKey}</api_key><client>a</client><client>b</client></job_create>""";

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(body), Action);

        Golden.AssertMatches("Fault11_RepeatedClient", reply);
        Assert.Empty(await JobsOfAsync(tenant));
    }

    [Fact]
    public async Task JobCreate_ParameterWithElementContent_Faults()
    {
        var tenant = await gateway.CreateTenantAsync();
        var body = $"""<job_create xmlns="https://api.t2a.io/soap"><api_key>{tenant.ApiKey}</api_key><client><name>a</name></client></job_create>""";

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(body), Action);

        Golden.AssertMatches("Fault11_ClientNotSimple", reply);
    }

    [Fact]
    public async Task JobCreate_UnknownKey_FaultsClient()
    {
        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate("jg_not-a-key", "acme")), Action);

        Golden.AssertMatches("Fault11_BadApiKey", reply);
    }

    [Fact]
    public async Task JobCreate_WorkerOnlyKey_FaultsClient()
    {
        var tenant = await gateway.CreateTenantAsync("worker");

        var reply = await PostAsync(Envelopes.Soap12Type, Envelopes.Soap12(Envelopes.JobCreate(tenant.ApiKey, "acme")));

        Golden.AssertMatches("Fault12_KeyWithoutClientRole", reply);
        Assert.Equal(0, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    [Fact]
    public async Task JobCreate_ClientLongerThanAJobName_Faults()
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await PostAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, new string('c', 1025))), Action);

        Golden.AssertMatches("Fault11_ClientTooLong", reply);
    }

    [Fact]
    public async Task HttpGet_MissingParameter_Returns500PlainText()
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await SoapHttp.GetAsync(Client(), $"/soap/t2a.asmx/job_create?api_key={Uri.EscapeDataString(tenant.ApiKey)}");

        Golden.AssertMatches("HttpGet_MissingClient", reply);
        Assert.Empty(await JobsOfAsync(tenant));
    }

    [Fact]
    public async Task HttpGet_UnknownKey_Returns500PlainText()
    {
        var reply = await SoapHttp.GetAsync(Client(), "/soap/t2a.asmx/job_create?api_key=nope&client=x");

        Golden.AssertMatches("HttpGet_BadApiKey", reply);
    }

    [Fact]
    public async Task HttpGet_UnknownMethod_Returns500PlainText()
    {
        var reply = await SoapHttp.GetAsync(Client(), "/soap/t2a.asmx/job_delete?api_key=nope");

        Golden.AssertMatches("HttpGet_UnknownMethod", reply);
    }

    [Fact]
    public async Task HttpPost_NotAForm_Returns500PlainText()
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await SoapHttp.PostFormAsync(Client(), "/soap/t2a.asmx/job_create", "{\"client\":\"x\"}", "application/json");

        Golden.AssertMatches("HttpPost_NotAForm", reply);
        Assert.Empty(await JobsOfAsync(tenant));
    }

    private HttpClient Client() => gateway.CreateClient();

    private Task<SoapReply> PostAsync(string? contentType, string body, string? soapAction = null) =>
        SoapHttp.PostAsync(Client(), SoapHttp.T2APath, contentType, body, soapAction);

    private async Task<System.Text.Json.JsonElement[]> JobsOfAsync(TestTenant tenant)
    {
        using var client = gateway.CreateClient(tenant.ApiKey);
        return await NativeApi.ListJobsAsync(client);
    }

    private static void AssertCreated(string golden, SoapReply reply)
    {
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var number = JobNumber(reply);
        Golden.AssertMatches(
            golden,
            reply,
            Golden.Text(number.ToString("D12", CultureInfo.InvariantCulture), "jobIdText"),
            Golden.Element("job_id_raw", number, "jobNumber"));
    }

    private static long JobNumber(SoapReply reply) =>
        long.Parse(JobIdRaw().Match(reply.Body).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex("<job_id_raw>(\\d+)</job_id_raw>")]
    private static partial Regex JobIdRaw();
}
