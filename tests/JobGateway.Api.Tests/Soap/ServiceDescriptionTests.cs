using System.Globalization;
using System.Net;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Core.Jobs;

namespace JobGateway.Api.Tests.Soap;

/// <summary>What ASMX serves besides SOAP: <c>?wsdl</c>, the operation list and the sample pages.</summary>
public sealed class ServiceDescriptionTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private static readonly XNamespace Wsdl = "http://schemas.xmlsoap.org/wsdl/";
    private static readonly XNamespace Soap11Binding = "http://schemas.xmlsoap.org/wsdl/soap/";
    private static readonly XNamespace Soap12Binding = "http://schemas.xmlsoap.org/wsdl/soap12/";
    private static readonly XNamespace Xsd = "http://www.w3.org/2001/XMLSchema";

    [Theory]
    [InlineData("/soap/t2a.asmx?wsdl")]
    [InlineData("/soap/t2a.asmx?WSDL")]
    [InlineData("/1.0/customerapi.asmx?Wsdl")]
    [InlineData("/mmapi.asmx?wSdL")]
    public async Task Wsdl_InAnyCase_IsServedAsXml(string url)
    {
        var reply = await SoapHttp.GetAsync(gateway.CreateClient(), url);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("text/xml; charset=utf-8", reply.ContentType);
        Assert.Equal(Wsdl + "definitions", XDocument.Parse(reply.Body).Root!.Name);
    }

    [Theory]
    [InlineData("/soap/t2a.asmx", "T2A", "https://api.t2a.io/soap", "job_create", "T2ASoap,T2ASoap12,T2AHttpGet,T2AHttpPost")]
    [InlineData("/1.0/customerapi.asmx", "CustomerApi", "http://api.discountasp.net/", "GetJobStatus", "CustomerApiSoap,CustomerApiSoap12")]
    [InlineData("/mmapi.asmx", "MagnetMail_x0020_Web_x0020_Service", "http://www.magnetmail.net/", "getUploadJobStatus", "MagnetMail_x0020_Web_x0020_ServiceSoap,MagnetMail_x0020_Web_x0020_ServiceSoap12")]
    public async Task Wsdl_NamesServiceBindingsAndPortsAsAsmxDoes(string path, string service, string ns, string operation, string ports)
    {
        var wsdl = await WsdlAsync(path);

        Assert.Equal(ns, (string?)wsdl.Root!.Attribute("targetNamespace"));
        var serviceElement = Assert.Single(wsdl.Root.Elements(Wsdl + "service"));
        Assert.Equal(service, (string?)serviceElement.Attribute("name"));
        Assert.Equal(ports.Split(','), serviceElement.Elements(Wsdl + "port").Select(p => (string)p.Attribute("name")!));
        Assert.Equal(ports.Split(','), wsdl.Root.Elements(Wsdl + "binding").Select(b => (string)b.Attribute("name")!));
        Assert.All(wsdl.Root.Elements(Wsdl + "binding").Take(2), b => Assert.Equal($"tns:{service}Soap", (string?)b.Attribute("type")));
        var action = ns.EndsWith('/') ? ns + operation : ns + "/" + operation;
        Assert.Equal(action, (string?)wsdl.Descendants(Soap11Binding + "operation").Single().Attribute("soapAction"));
        Assert.Equal(action, (string?)wsdl.Descendants(Soap12Binding + "operation").Single().Attribute("soapAction"));
        Assert.Contains(wsdl.Root.Elements(Wsdl + "message"), m => (string?)m.Attribute("name") == operation + "SoapIn");
        Assert.Contains(wsdl.Root.Elements(Wsdl + "message"), m => (string?)m.Attribute("name") == operation + "SoapOut");
        Assert.All(wsdl.Descendants(Xsd + "schema"), s => Assert.Equal("qualified", (string?)s.Attribute("elementFormDefault")));
    }

    [Fact]
    public async Task Wsdl_MagnetMail_DeclaresTheAuthHeaderMessage()
    {
        var wsdl = await WsdlAsync("/mmapi.asmx");

        var message = Assert.Single(wsdl.Root!.Elements(Wsdl + "message"), m => (string?)m.Attribute("name") == "getUploadJobStatusmmAuthHeader");
        Assert.Equal("tns:mmAuthHeader", (string?)message.Element(Wsdl + "part")!.Attribute("element"));
        Assert.Single(wsdl.Descendants(Soap11Binding + "header"));
        Assert.Single(wsdl.Descendants(Soap12Binding + "header"));
    }

    [Fact]
    public async Task Wsdl_DescribesExactlyWhatTheServicesAnswer()
    {
        // Every response body element must validate against the schema the WSDL publishes.
        var tenant = await gateway.CreateTenantAsync();
        var pending = await TestJobs.CreateAsync(gateway, tenant.ClientId, name: "a");
        var failed = await TestJobs.FailAsync(gateway, await TestJobs.CreateAsync(gateway, tenant.ClientId), new JobError("x", "boom", "d"));
        var succeeded = await TestJobs.SucceedAsync(gateway, await TestJobs.CreateAsync(gateway, tenant.ClientId), """{"total_records":5}""");
        var client = gateway.CreateClient();

        var replies = new List<(string Path, SoapReply Reply)>
        {
            (SoapHttp.T2APath, await SoapHttp.PostAsync(client, SoapHttp.T2APath, Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "c")))),
            (SoapHttp.T2APath, await SoapHttp.GetAsync(client, $"/soap/t2a.asmx/job_create?api_key={Uri.EscapeDataString(tenant.ApiKey)}&client=c")),
        };
        foreach (var job in new[] { pending, failed, succeeded })
        {
            replies.Add((SoapHttp.CustomerApiPath, await SoapHttp.PostAsync(client, SoapHttp.CustomerApiPath, Envelopes.Soap12Type, Envelopes.Soap12(Envelopes.GetJobStatus(tenant.ApiKey, job.Id.ToString())))));
            replies.Add((SoapHttp.MagnetMailPath, await SoapHttp.PostAsync(
                client,
                SoapHttp.MagnetMailPath,
                Envelopes.Soap11Type,
                Envelopes.Soap11(Envelopes.GetUploadJobStatus("u", job.Number.ToString(CultureInfo.InvariantCulture)), Envelopes.MmAuthHeader(tenant.ApiKey)))));
        }

        foreach (var (path, reply) in replies)
        {
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            var schemas = await SchemasAsync(path);
            var document = XDocument.Parse(reply.Body);
            var payload = document.Root!.Name.LocalName == "Envelope"
                ? document.Root.Elements().Single(e => e.Name.LocalName == "Body").Elements().Single()
                : document.Root;
            var errors = new List<string>();
            new XDocument(payload).Validate(schemas, (_, e) => errors.Add(e.Message));
            Assert.True(errors.Count == 0, $"{path}: {string.Join("; ", errors)}\n{reply.Body}");
        }
    }

    [Fact]
    public async Task Wsdl_AddressOfLoopbackRequest_IsTheRequestsHost()
    {
        var wsdl = await WsdlAsync("/soap/t2a.asmx", host: "127.0.0.1:5555");

        Assert.All(Addresses(wsdl), a => Assert.Equal("http://127.0.0.1:5555/soap/t2a.asmx", a));
    }

    [Fact]
    public async Task Wsdl_AddressOfUntrustedHost_IsTheSafeDefault()
    {
        var wsdl = await WsdlAsync("/soap/t2a.asmx", host: "evil.example.com");

        Assert.All(Addresses(wsdl), a => Assert.Equal("http://localhost/soap/t2a.asmx", a));
    }

    [Fact]
    public async Task Wsdl_Address_ComesFromConfiguredPublicBaseUrlOrAllowedHost()
    {
        using var configured = new GatewayFactory();
        configured.Settings["Gateway:PublicBaseUrl"] = "https://jobs.example.com/gateway/";
        using var allowed = new GatewayFactory();
        allowed.Settings["Soap:AllowedHosts:0"] = "soap.internal:8443";

        var fromConfig = await WsdlAsync(configured, "/mmapi.asmx", host: "evil.example.com");
        var fromAllowedHost = await WsdlAsync(allowed, "/mmapi.asmx", host: "soap.internal:8443");
        var fromOtherHost = await WsdlAsync(allowed, "/mmapi.asmx", host: "localhost");

        Assert.All(Addresses(fromConfig), a => Assert.Equal("https://jobs.example.com/gateway/mmapi.asmx", a));
        Assert.All(Addresses(fromAllowedHost), a => Assert.Equal("http://soap.internal:8443/mmapi.asmx", a));
        Assert.All(Addresses(fromOtherHost), a => Assert.Equal("http://localhost/mmapi.asmx", a));
    }

    [Theory]
    [InlineData("/soap/t2a.asmx", "ServicePage_T2A")]
    [InlineData("/1.0/customerapi.asmx", "ServicePage_CustomerApi")]
    [InlineData("/mmapi.asmx", "ServicePage_MagnetMail")]
    [InlineData("/soap/t2a.asmx?op=job_create", "OperationPage_T2A_job_create")]
    [InlineData("/1.0/customerapi.asmx?op=GetJobStatus", "OperationPage_CustomerApi_GetJobStatus")]
    [InlineData("/mmapi.asmx?op=getUploadJobStatus", "OperationPage_MagnetMail_getUploadJobStatus")]
    public async Task HelpPages_MatchTheSeedPagesStructure(string url, string golden)
    {
        var reply = await SoapHttp.GetAsync(gateway.CreateClient(), url);

        Golden.AssertMatches(golden, reply);
    }

    [Fact]
    public async Task OperationPage_OfUnknownOperation_EncodesTheEchoedName()
    {
        var reply = await SoapHttp.GetAsync(gateway.CreateClient(), "/mmapi.asmx?op=%3Cscript%3Ealert(1)%3C/script%3E");

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.DoesNotContain("<script>", reply.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; is not an operation of this service.", reply.Body, StringComparison.Ordinal);
    }

    private Task<XDocument> WsdlAsync(string path, string? host = null) => WsdlAsync(gateway, path, host);

    private static async Task<XDocument> WsdlAsync(GatewayFactory factory, string path, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path + "?wsdl");
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await factory.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private async Task<XmlSchemaSet> SchemasAsync(string path)
    {
        var wsdl = await WsdlAsync(path);
        var set = new XmlSchemaSet { XmlResolver = null };
        foreach (var schema in wsdl.Descendants(Xsd + "schema"))
        {
            // Each embedded schema relies on the prefixes the definitions element declares.
            var copy = new XElement(schema);
            foreach (var ns in wsdl.Root!.Attributes().Where(a => a.IsNamespaceDeclaration && copy.Attribute(a.Name) is null))
            {
                copy.Add(new XAttribute(ns.Name, ns.Value));
            }

            using var reader = copy.CreateReader();
            set.Add(XmlSchema.Read(reader, null)!);
        }

        set.Compile();
        return set;
    }

    private static IEnumerable<string> Addresses(XDocument wsdl) =>
        wsdl.Descendants(Wsdl + "port").Select(p => (string)p.Elements().Single().Attribute("location")!);
}
