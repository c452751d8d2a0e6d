using System.Net;
using System.Net.Http.Headers;
using System.Text;
using JobGateway.Api.Tests.AccountTasks;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Soap;
using JobGateway.Core.AccountTasks;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.Properties;

/// <summary>
/// The shrunk counter-examples the properties found, as plain tests: each was a 500 (or a wrong answer) before its fix.
/// </summary>
public sealed class FoundByPropertiesTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    /// <summary>NativeCreateProperties: an unknown member sent twice made naming the unknown members throw.</summary>
    [Fact]
    public async Task NativeCreate_UnknownMemberSentTwice_Is400NamingItOnce()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var answer = await PostAsync(client, "/api/jobs", """{"type":"billing-run","":"a","":false}""", "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Dialects.ProblemDetails(answer);
        Assert.Contains("members this endpoint does not know: ''.", answer.Body, StringComparison.Ordinal);
        Assert.Equal(0, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    /// <summary>TwoSmsReaderProperties (JSON): a lone surrogate escape made reading the member's text throw.</summary>
    [Fact]
    public async Task TwoSmsJson_LoneSurrogateEscape_Is400Envelope()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var body = AccountTaskTestSupport.ValidJson().ToJsonString()[..^1] + ",\"Name\":\"\\ud800\"}";

        var answer = await PostAsync(client, AccountTaskTestSupport.TasksPath, body, "text/json");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Dialects.TwoSmsEnvelope(answer, "text/json", failed: true);
        Assert.Contains("Name is not valid text", answer.Body, StringComparison.Ordinal);
        Assert.Equal(0, await CountTasksAsync(tenant));
    }

    /// <summary>TwoSmsReaderProperties (form): more fields than the form reader reads made it throw.</summary>
    [Fact]
    public async Task TwoSmsForm_MoreThan1024Fields_Is400Envelope()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var body = "TaskID=282325b9-d725-4afd-b11e-3d3b60172acd&Frequency=NONE&Parameters=%7B%7D&ContentType=application%2Fjson"
            + string.Concat(Enumerable.Range(0, 1100).Select(i => $"&f{i}=1"));

        var answer = await PostAsync(client, AccountTaskTestSupport.TasksPath, body, "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Dialects.TwoSmsEnvelope(answer, "application/json", failed: true);
        Assert.Contains("Form value count limit 1024 exceeded", answer.Body, StringComparison.Ordinal);
        Assert.Equal(0, await CountTasksAsync(tenant));
    }

    /// <summary>
    /// TwoSmsReaderProperties (XML): the reader's message quoted a character XML cannot carry (U+FFFE), and writing
    /// the XML error envelope threw, so the client got no answer at all.
    /// </summary>
    [Fact]
    public async Task TwoSmsXml_ErrorQuotingACharacterXmlCannotCarry_IsAnXmlEnvelope()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var body = AccountTaskTestSupport.ValidXml(Guid.NewGuid()).Replace("<Frequency>", "<Frequency\ufffe>", StringComparison.Ordinal);

        var answer = await PostAsync(client, AccountTaskTestSupport.TasksPath, body, "application/xml");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Dialects.TwoSmsEnvelope(answer, "application/xml", failed: true);
        Assert.Contains("not well-formed XML", answer.Body, StringComparison.Ordinal);
        Assert.Equal(0, await CountTasksAsync(tenant));
    }

    /// <summary>A task whose text XML cannot carry is answered in XML all the same (U+FFFD in its place).</summary>
    [Fact]
    public async Task TwoSmsJson_TaskNamedWithAControlCharacter_IsAnsweredInXml()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var request = AccountTaskTestSupport.ValidJson();
        request["Name"] = "a\u0001b";

        var answer = await PostAsync(client, AccountTaskTestSupport.TasksPath, request.ToJsonString(), "application/json", accept: "application/xml");

        Assert.Equal(HttpStatusCode.Created, answer.Status);
        Dialects.TwoSmsEnvelope(answer, "application/xml", failed: false);
        Assert.Contains("<Name>a\ufffdb</Name>", answer.Body, StringComparison.Ordinal);
        Assert.Equal(1, await CountTasksAsync(tenant));
    }

    /// <summary>
    /// SoapEnvelopeProperties: a fault about what follows the Envelope element (nesting past the cap) spoke the content
    /// type's SOAP version, not the envelope's.
    /// </summary>
    [Fact]
    public async Task Soap11EnvelopeAsSoap12MediaType_NestedTooDeep_FaultsInSoap11()
    {
        var tenant = await gateway.CreateTenantAsync();
        var deep = string.Concat(Enumerable.Repeat("<n>", 40)) + string.Concat(Enumerable.Repeat("</n>", 40));
        var envelope = Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "c").Replace("</job_create>", deep + "</job_create>", StringComparison.Ordinal));

        var reply = await SoapHttp.PostAsync(gateway.CreateClient(), SoapHttp.T2APath, "application/soap+xml; charset=utf-16", envelope);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(Envelopes.Soap11Type, reply.ContentType);
        Assert.Contains("<faultcode>soap:Client</faultcode><faultstring>The request nests elements deeper than 32 levels.</faultstring>", reply.Body, StringComparison.Ordinal);
        Assert.Equal(0, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    /// <summary>The same for a header nobody understands: a SOAP 1.2 envelope sent as text/xml gets a SOAP 1.2 MustUnderstand fault.</summary>
    [Fact]
    public async Task Soap12EnvelopeAsTextXml_HeaderNotUnderstood_FaultsInSoap12()
    {
        var tenant = await gateway.CreateTenantAsync();
        var envelope = Envelopes.Soap12(Envelopes.JobCreate(tenant.ApiKey, "c"), """<x:Extra xmlns:x="urn:extra" soap:mustUnderstand="true">v</x:Extra>""");

        var reply = await SoapHttp.PostAsync(gateway.CreateClient(), SoapHttp.T2APath, Envelopes.Soap11Type, envelope);

        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        Assert.Equal(Envelopes.Soap12Type, reply.ContentType);
        Assert.Contains("<soap12:NotUnderstood xmlns:q=\"urn:extra\" qname=\"q:Extra\" />", reply.Body, StringComparison.Ordinal);
        Assert.Contains("<soap12:Value>soap12:MustUnderstand</soap12:Value>", reply.Body, StringComparison.Ordinal);
        Assert.Equal(0, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    /// <summary>
    /// SoapEnvelopeProperties: a processing instruction inside mmAuthHeader made SoapCore fail to copy the header, a
    /// Server fault; SOAP 1.1 forbids them, and the gateway refuses one inside the Envelope as a Client fault.
    /// </summary>
    [Fact]
    public async Task MagnetMail_ProcessingInstructionInTheHeader_IsAClientFault()
    {
        var tenant = await gateway.CreateTenantAsync();
        var job = await TestJobs.CreateAsync(gateway, tenant.ClientId);
        var header = Envelopes.MmAuthHeader(tenant.ApiKey).Replace(tenant.ApiKey, "<?pi x?>", StringComparison.Ordinal);
        var envelope = Envelopes.Soap11(Envelopes.GetUploadJobStatus("mm-user", job.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)), header);

        var reply = await SoapHttp.PostAsync(gateway.CreateClient(), SoapHttp.MagnetMailPath, Envelopes.Soap11Type, envelope, "\"http://www.magnetmail.net/getUploadJobStatus\"");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("<faultcode>soap:Client</faultcode><faultstring>The request contains a processing instruction inside the Envelope; SOAP messages must not contain them.</faultstring>", reply.Body, StringComparison.Ordinal);
        Assert.Equal(1, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    /// <summary>
    /// SoapEnvelopeProperties: an envelope in UTF-16 (big-endian, no byte order mark, no declaration) was read by the
    /// gateway's checks as UTF-16 and by SoapCore as the UTF-8 its content type named, a Server fault.
    /// </summary>
    [Fact]
    public async Task MagnetMail_Utf16EnvelopeUnderAUtf8ContentType_IsAnswered()
    {
        var tenant = await gateway.CreateTenantAsync();
        var job = await TestJobs.CreateAsync(gateway, tenant.ClientId);
        var envelope = XmlBodies.WithoutDeclaration(Envelopes.Soap12(
            Envelopes.GetUploadJobStatus("mm-user", job.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)), Envelopes.MmAuthHeader(tenant.ApiKey)));
        using var request = new HttpRequestMessage(HttpMethod.Post, SoapHttp.MagnetMailPath) { Content = new ByteArrayContent(Encoding.BigEndianUnicode.GetBytes("<!-- c -->" + envelope)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/soap+xml; charset=utf-8");

        var answer = await Answer.ReadAsync(await gateway.CreateClient().SendAsync(request));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("<getUploadJobStatusResult>", answer.Body, StringComparison.Ordinal);
    }

    /// <summary>SoapEnvelopeProperties: markup inside mmAuthHeader's sessionId made reading the header throw, a Server fault.</summary>
    [Fact]
    public async Task MagnetMail_MarkupInTheHeadersSessionId_IsAClientFault()
    {
        var tenant = await gateway.CreateTenantAsync();
        var job = await TestJobs.CreateAsync(gateway, tenant.ClientId);
        var header = Envelopes.MmAuthHeader(tenant.ApiKey).Replace(tenant.ApiKey, "<x>1</x>", StringComparison.Ordinal);
        var envelope = Envelopes.Soap12(Envelopes.GetUploadJobStatus("mm-user", job.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)), header);

        var reply = await SoapHttp.PostAsync(gateway.CreateClient(), SoapHttp.MagnetMailPath, Envelopes.Soap12Type, envelope);

        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        Assert.Contains("<soap12:Value>soap12:Sender</soap12:Value>", reply.Body, StringComparison.Ordinal);
        Assert.Contains("The SOAP header mmAuthHeader is not valid: End element 'sessionId'", reply.Body, StringComparison.Ordinal);
    }

    /// <summary>SoapEnvelopeProperties: a reference to an entity no DTD declares is malformed XML, refused before SoapCore reads it.</summary>
    [Fact]
    public async Task T2A_UndeclaredEntityInAParameter_IsRefusedAsMalformed()
    {
        var tenant = await gateway.CreateTenantAsync();

        var reply = await SoapHttp.PostAsync(
            gateway.CreateClient(), SoapHttp.T2APath, Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "&undefined;")), "\"https://api.t2a.io/soap/job_create\"");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("<faultcode>soap:Client</faultcode><faultstring>The request is not well-formed XML (line 1, position", reply.Body, StringComparison.Ordinal);
        Assert.Equal(0, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    /// <summary>
    /// PostgresCreateProperties: a NUL character in stored text is refused by PostgreSQL (SQLite keeps it), a 500 there;
    /// every surface now refuses it in its dialect, on either store.
    /// </summary>
    [Fact]
    public async Task NulCharacterInStoredText_IsRefusedInEachDialect()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var task = AccountTaskTestSupport.ValidJson();
        task["Name"] = "a\0b";

        var native = await PostAsync(client, "/api/jobs", """{"type":"billing-run","externalRef":"\u0014%.\u0000"}""", "application/json");
        var elasticPath = await PostAsync(client, ElasticPath.ElasticPathTestSupport.JobsPath, ElasticPath.ElasticPathTestSupport.Body(externalRef: "a\0b"), "application/json");
        var twoSms = await PostAsync(client, AccountTaskTestSupport.TasksPath, task.ToJsonString(), "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, native.Status);
        Dialects.ProblemDetails(native);
        Assert.Contains("'externalRef' must not contain NUL characters (U+0000).", native.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, elasticPath.Status);
        Dialects.ElasticPathErrors(elasticPath);
        Assert.Contains("must not contain NUL characters (U+0000)", elasticPath.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, twoSms.Status);
        Dialects.TwoSmsEnvelope(twoSms, "application/json", failed: true);
        Assert.Contains("Name must not contain NUL characters (U+0000).", twoSms.Body, StringComparison.Ordinal);
        Assert.Equal(0, await TestJobs.CountAsync(gateway, tenant.ClientId));
        Assert.Equal(0, await CountTasksAsync(tenant));
    }

    /// <summary>The same rule on the worker and admin bodies, whose text is stored (or queried) as well.</summary>
    [Fact]
    public async Task NulCharacterInWorkerAndAdminText_IsRefusedInProblemDetails()
    {
        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);

        var fetch = await PostAsync(admin, "/api/worker/fetch", """{"workerId":"w\u0000","types":["billing-run"]}""", "application/json");
        var fetchTypes = await PostAsync(admin, "/api/worker/fetch", """{"workerId":"w","types":["billing\u0000run"]}""", "application/json");
        var fail = await PostAsync(admin, $"/api/worker/jobs/{Guid.NewGuid()}/fail", """{"workerId":"w","error":{"code":"e","message":"bad\u0000"}}""", "application/json");
        var newClient = await PostAsync(admin, "/api/admin/clients", """{"name":"acme\u0000"}""", "application/json");

        foreach (var (answer, member) in new[] { (fetch, "workerId"), (fetchTypes, "types"), (fail, "error.message"), (newClient, "name") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Dialects.ProblemDetails(answer);
            Assert.Contains($"'{member}' must not contain NUL characters (U+0000).", answer.Body, StringComparison.Ordinal);
        }
    }

    /// <summary>ElasticPathFilterProperties: a like pattern past SQLite's LIKE length limit failed the query (500).</summary>
    [Fact]
    public async Task ElasticPathFilter_HugeLikePattern_Is400()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var answer = await Answer.ReadAsync(await client.GetAsync($"{ElasticPath.ElasticPathTestSupport.JobsPath}?filter=like(external_ref,{new string('x', 60_000)})"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Dialects.ElasticPathErrors(answer);
        Assert.Contains("A like(external_ref,…) pattern may be at most 1024 characters.", answer.Body, StringComparison.Ordinal);
    }

    /// <summary>
    /// TwoSmsReaderProperties (XML): a declaration naming another encoding, cut off in the root's attributes, made
    /// XDocument.LoadAsync read synchronously, which the server refuses (500).
    /// </summary>
    [Fact]
    public async Task TwoSmsXml_OtherEncodingDeclaredAndCutShort_Is400Envelope()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var text = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>" + XmlBodies.WithoutDeclaration(AccountTaskTestSupport.ValidXml(Guid.NewGuid()));

        var answer = await PostAsync(client, AccountTaskTestSupport.TasksPath, text[..(text.Length * 13 / 100)], "text/xml", accept: "application/xml;q=0.5, application/json");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Dialects.TwoSmsEnvelope(answer, "application/json", failed: true);
        Assert.Contains("not well-formed XML", answer.Body, StringComparison.Ordinal);
        Assert.Equal(0, await CountTasksAsync(tenant));
    }

    /// <summary>
    /// SoapEnvelopeProperties (stored jobs): a job named over the native API with a character XML cannot carry made
    /// DiscountASP's GetJobStatus fail writing its answer (a JSON 500 on a SOAP endpoint); MagnetMail's failed-job
    /// answer likewise for the error message. Such characters are written as U+FFFD.
    /// </summary>
    [Fact]
    public async Task StatusServices_JobTextXmlCannotCarry_IsAnsweredWithU0FFFD()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var created = await PostAsync(client, "/api/jobs", """{"type":"upload","name":"a\u0001b"}""", "application/json");
        Assert.Equal(HttpStatusCode.Accepted, created.Status);
        var job = await TestJobs.FailAsync(gateway, Assert.Single(await TestJobs.ListAsync(gateway, tenant.ClientId)), new Core.Jobs.JobError("e", "bad\u0002message"));

        var discountAsp = await SoapHttp.PostAsync(
            gateway.CreateClient(), SoapHttp.CustomerApiPath, Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.GetJobStatus(tenant.ApiKey, job.Id.ToString())), "\"http://api.discountasp.net/GetJobStatus\"");
        var magnetMail = await SoapHttp.PostAsync(
            gateway.CreateClient(), SoapHttp.MagnetMailPath, Envelopes.Soap12Type,
            Envelopes.Soap12(Envelopes.GetUploadJobStatus("mm-user", job.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)), Envelopes.MmAuthHeader(tenant.ApiKey)));

        Assert.Equal(HttpStatusCode.OK, discountAsp.Status);
        Assert.Contains("<JobName>a\ufffdb</JobName>", discountAsp.Body, StringComparison.Ordinal);
        Assert.Contains("<ErrorMessage>bad\ufffdmessage</ErrorMessage>", discountAsp.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, magnetMail.Status);
        Assert.Contains("<errorMessage>bad\ufffdmessage</errorMessage>", magnetMail.Body, StringComparison.Ordinal);
        Assert.Contains("<user_filename>a\ufffdb</user_filename>", magnetMail.Body, StringComparison.Ordinal);
    }

    private async Task<int> CountTasksAsync(TestTenant tenant)
    {
        await using var scope = gateway.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<IAccountTaskStore>().ListAsync(tenant.ClientId, 0, 100, CancellationToken.None)).Count;
    }

    private static async Task<Answer> PostAsync(HttpClient client, string path, string body, string contentType, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await Answer.ReadAsync(await client.SendAsync(request));
    }
}
