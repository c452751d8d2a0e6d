using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Xml.Linq;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JobGateway.Api.Tests.Soap;

/// <summary>
/// What plain SoapCore 1.2.1.18 does that no ASMX client may see, one test per default, each over the wire: the
/// compatibility layer in front of and inside SoapCore answers as ASMX does instead.
/// </summary>
public sealed class SoapCoreDefaultsTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private const string JobCreateAction = "\"https://api.t2a.io/soap/job_create\"";

    [Fact]
    public async Task InternalFailure_IsAServerFaultWithoutTheExceptionsText()
    {
        using var failing = new GatewayFactory
        {
            TestServices = services => services.Replace(ServiceDescriptor.Scoped(_ => FailingJobStore.Create())),
        };
        var tenant = await failing.CreateTenantAsync();

        var reply11 = await SoapHttp.PostAsync(failing.CreateClient(), SoapHttp.T2APath, Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "x")), JobCreateAction);
        var reply12 = await SoapHttp.PostAsync(failing.CreateClient(), SoapHttp.T2APath, Envelopes.Soap12Type, Envelopes.Soap12(Envelopes.JobCreate(tenant.ApiKey, "x")));

        Assert.Equal(HttpStatusCode.InternalServerError, reply11.Status);
        Assert.Contains("<faultcode>soap:Server</faultcode><faultstring>Server was unable to process request.</faultstring><detail />", reply11.Body, StringComparison.Ordinal);
        Assert.Contains("<soap12:Value>soap12:Receiver</soap12:Value>", reply12.Body, StringComparison.Ordinal);
        Assert.All(new[] { reply11, reply12 }, r => Assert.DoesNotContain(FailingJobStore.Secret, r.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientMistakes_AreClientFaults()
    {
        var reply = await PostT2AAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate("jg_unknown", "x")), JobCreateAction);

        Assert.Contains("<faultcode>soap:Client</faultcode>", reply.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"urn:xjob_createx\"")]
    [InlineData("\"HTTPS://API.T2A.IO/SOAP/JOB_CREATE\"")]
    [InlineData("\"https://api.t2a.io/soap/job_create/extra\"")]
    [InlineData("\"job_create\"")]
    public async Task SoapAction_IsMatchedExactly_NotCaseInsensitivelyOrAsASubstring(string action)
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await PostT2AAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "x")), action);

        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        Assert.Contains($"<faultstring>Server did not recognize the value of HTTP Header SOAPAction: {action.Trim('"')}.</faultstring>", reply.Body, StringComparison.Ordinal);
        Assert.Equal(0, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task WrongContentType_Is415AndRunsNothing(string contentType)
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await PostT2AAsync(contentType, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "x")), JobCreateAction);

        Assert.Equal((HttpStatusCode.UnsupportedMediaType, string.Empty), (reply.Status, reply.Body));
        Assert.Equal(0, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    [Fact]
    public async Task Soap12EnvelopeAsTextXml_IsAnsweredInSoap12_AndSoap11AsSoapXml_Is415()
    {
        var tenant = await gateway.CreateTenantAsync();

        var soap12AsTextXml = await PostT2AAsync("text/xml; charset=utf-8", Envelopes.Soap12(Envelopes.JobCreate(tenant.ApiKey, "x")));
        var soap11AsSoapXml = await PostT2AAsync(Envelopes.Soap12Type, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "y")));

        Assert.Equal((HttpStatusCode.OK, Envelopes.Soap12Type), (soap12AsTextXml.Status, soap12AsTextXml.ContentType));
        Assert.StartsWith("""<?xml version="1.0" encoding="utf-8"?><soap12:Envelope""", soap12AsTextXml.Body, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, string.Empty), (soap11AsSoapXml.Status, soap11AsSoapXml.Body));
        Assert.Equal(1, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    [Theory]
    [InlineData("""<GetJobStatus xmlns="http://api.discountasp.net/"><key>{key}</key></GetJobStatus>""", "Missing parameter: jobId.")]
    [InlineData("""<GetJobStatus xmlns="http://api.discountasp.net/"><key>{key}</key><jobId xmlns="">{id}</jobId></GetJobStatus>""", "Missing parameter: jobId.")]
    [InlineData("""<GetJobStatus xmlns="http://api.discountasp.net/"><key>{key}</key><jobId>00000000-0000-0000-0000-000000000000x</jobId></GetJobStatus>""", "Parameter jobId is not a valid guid.")]
    public async Task MissingUnqualifiedOrIllTypedParameter_FaultsNamingIt_InsteadOfBindingADefault(string body, string expected)
    {
        var tenant = await gateway.CreateTenantAsync();
        var job = await TestJobs.CreateAsync(gateway, tenant.ClientId);
        var envelope = Envelopes.Soap11(body.Replace("{key}", tenant.ApiKey, StringComparison.Ordinal).Replace("{id}", job.Id.ToString(), StringComparison.Ordinal));

        var reply = await SoapHttp.PostAsync(gateway.CreateClient(), SoapHttp.CustomerApiPath, Envelopes.Soap11Type, envelope);

        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        Assert.Contains($"<faultcode>soap:Client</faultcode><faultstring>{expected}</faultstring>", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InternalEntity_IsRefusedNotExpanded()
    {
        var tenant = await gateway.CreateTenantAsync();
        var body = """<?xml version="1.0"?><!DOCTYPE soap:Envelope [<!ENTITY name "expanded">]>"""
            + Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "&name;"))[38..];

        var reply = await PostT2AAsync(Envelopes.Soap11Type, body, JobCreateAction);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("<faultstring>The request contains a DTD; DTDs are not allowed.</faultstring>", reply.Body, StringComparison.Ordinal);
        Assert.Equal(0, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    [Fact]
    public async Task OneKilobyteBillionLaughs_IsRefusedInWellUnder50Milliseconds()
    {
        var tenant = await gateway.CreateTenantAsync();
        var entities = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (var i = 1; i <= 9; i++)
        {
            entities.Append(CultureInfo.InvariantCulture, $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">");
        }

        var body = $"""<?xml version="1.0"?><!DOCTYPE soap:Envelope [{entities}]>""" + Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "&lol9;"))[38..];
        Assert.InRange(Encoding.UTF8.GetByteCount(body), 900, 1300);
        var client = gateway.CreateClient();
        await PostT2AAsync(Envelopes.Soap11Type, body, JobCreateAction);

        // The best of a few tries: what is measured is the gateway's work, not a scheduling hiccup of a busy machine.
        var best = TimeSpan.MaxValue;
        SoapReply? reply = null;
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            reply = await SoapHttp.PostAsync(client, SoapHttp.T2APath, Envelopes.Soap11Type, body, JobCreateAction);
            best = TimeSpan.FromTicks(Math.Min(best.Ticks, watch.Elapsed.Ticks));
        }

        Assert.Equal(HttpStatusCode.BadRequest, reply!.Status);
        Assert.True(best < TimeSpan.FromMilliseconds(50), $"took {best.TotalMilliseconds} ms");
        Assert.Equal(0, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    [Theory]
    [InlineData(Envelopes.Soap11Ns)]
    [InlineData(Envelopes.Soap12Ns)]
    public async Task UnknownHeaderWithMustUnderstand_FaultsBeforeTheOperationRuns(string envelopeNs)
    {
        var tenant = await gateway.CreateTenantAsync();
        var job = await TestJobs.CreateAsync(gateway, tenant.ClientId);
        var header = Envelopes.MmAuthHeader(tenant.ApiKey) + $"""<Trace xmlns="urn:trace" soap:mustUnderstand="1">x</Trace>""";
        var envelope = Envelopes.Envelope(envelopeNs, Envelopes.GetUploadJobStatus("u", job.Number.ToString(CultureInfo.InvariantCulture)), header);

        var reply = await SoapHttp.PostAsync(
            gateway.CreateClient(), SoapHttp.MagnetMailPath, envelopeNs == Envelopes.Soap11Ns ? Envelopes.Soap11Type : Envelopes.Soap12Type, envelope);

        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        Assert.Contains("SOAP header Trace was not understood.", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("getUploadJobStatusResult", reply.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/mmapi.asmx/getUploadJobStatus?user_id=u&jobid={number}", "getUploadJobStatus")]
    [InlineData("POST", "/mmapi.asmx/getUploadJobStatus", "getUploadJobStatus")]
    [InlineData("GET", "/1.0/customerapi.asmx/GetJobStatus?key={key}&jobId={id}", "GetJobStatus")]
    [InlineData("GET", "/mmapi.asmx/$metadata", "$metadata")]
    [InlineData("GET", "/mmapi.asmx/mex", "mex")]
    public async Task HttpGetAndPostInvocation_OfServicesThatDoNotOfferIt_IsRefusedWithoutData(string method, string url, string name)
    {
        var tenant = await gateway.CreateTenantAsync();
        var job = await TestJobs.CreateAsync(gateway, tenant.ClientId);
        url = url.Replace("{number}", job.Number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{key}", Uri.EscapeDataString(tenant.ApiKey), StringComparison.Ordinal)
            .Replace("{id}", job.Id.ToString(), StringComparison.Ordinal);

        var reply = method == "GET"
            ? await SoapHttp.GetAsync(gateway.CreateClient(), url)
            : await SoapHttp.PostFormAsync(gateway.CreateClient(), url, $"user_id=u&jobid={job.Number}");

        Assert.Equal(
            (HttpStatusCode.InternalServerError, "text/plain; charset=utf-8", $"Request format is unrecognized for URL unexpectedly ending in '/{name}'."),
            (reply.Status, reply.ContentType, reply.Body));
    }

    [Theory]
    [InlineData("X-Forwarded-Host", "evil.example.com")]
    [InlineData("Host", "evil.example.com")]
    public async Task WsdlAddress_IsNotTakenFromSpoofableHeaders(string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/mmapi.asmx?wsdl");
        if (header == "Host")
        {
            request.Headers.Host = value;
        }
        else
        {
            request.Headers.Add(header, value);
        }

        using var response = await gateway.CreateClient().SendAsync(request);
        var wsdl = XDocument.Parse(await response.Content.ReadAsStringAsync());

        var addresses = wsdl.Descendants(XName.Get("port", "http://schemas.xmlsoap.org/wsdl/")).Select(p => (string)p.Elements().Single().Attribute("location")!).ToList();
        Assert.Equal(2, addresses.Count);
        Assert.All(addresses, a => Assert.DoesNotContain("evil", a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ContentAfterTheEnvelope_IsMalformed_AndNestingPastTheCapIsRefused()
    {
        var tenant = await gateway.CreateTenantAsync();
        var deep = string.Concat(Enumerable.Repeat("<a>", 40)) + string.Concat(Enumerable.Repeat("</a>", 40));

        var trailing = await PostT2AAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "x")) + "<more/>", JobCreateAction);
        var nested = await PostT2AAsync(Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "x").Replace("</job_create>", deep + "</job_create>", StringComparison.Ordinal)), JobCreateAction);

        Assert.Equal(HttpStatusCode.BadRequest, trailing.Status);
        Assert.Contains("The request is not well-formed XML", trailing.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, nested.Status);
        Assert.Contains("<faultstring>The request nests elements deeper than 32 levels.</faultstring>", nested.Body, StringComparison.Ordinal);
        Assert.Equal(0, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    private Task<SoapReply> PostT2AAsync(string contentType, string body, string? action = null) =>
        SoapHttp.PostAsync(gateway.CreateClient(), SoapHttp.T2APath, contentType, body, action);

    /// <summary>A job store whose every call fails with a message that must never reach a client.</summary>
    public class FailingJobStore : DispatchProxy
    {
        public const string Secret = "Data Source=/secret/path; internal detail";

        public static IJobStore Create() => Create<IJobStore, FailingJobStore>();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => throw new InvalidOperationException(Secret);
    }
}
