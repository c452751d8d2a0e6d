using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using JobGateway.Api.Tests.AccountTasks;
using JobGateway.Api.Tests.ElasticPath;
using JobGateway.Api.Tests.Soap;
using JobGateway.Core;

namespace JobGateway.Api.Tests.Resilience;

/// <summary>One create's answer, read the way its surface's client reads it.</summary>
/// <param name="Dialect">native, elastic-path, 2sms or soap.</param>
/// <param name="Status">HTTP status.</param>
/// <param name="Code">The error's code (problem details <c>code</c>, 2sms <c>ErrorCode</c>, Elastic Path's title, SOAP's faultcode).</param>
/// <param name="Message">What the client is told (detail, ErrorReason, faultstring).</param>
/// <param name="RetryAfter">The Retry-After header, if any.</param>
/// <param name="Elapsed">How long the answer took.</param>
/// <param name="Body">The body as sent.</param>
internal sealed record DialectAnswer(string Dialect, HttpStatusCode Status, string? Code, string? Message, string? RetryAfter, TimeSpan Elapsed, string Body);

/// <summary>
/// A create on each surface, with the tenant's key: <c>POST /api/jobs</c>, Elastic Path's <c>POST /v2/subscriptions/jobs</c>,
/// 2sms's run of a task (<c>POST …/run?id=</c>, a job created at once) and T2A's SOAP <c>job_create</c>.
/// </summary>
internal sealed class DialectProbes
{
    public static readonly string[] Dialects = ["native", "elastic-path", "2sms", "soap"];

    private readonly HttpClient _client;
    private readonly string _apiKey;
    private readonly string _taskId;

    private DialectProbes(HttpClient client, string apiKey, string taskId)
    {
        _client = client;
        _apiKey = apiKey;
        _taskId = taskId;
    }

    /// <summary>Registers the 2sms task the probes run (the store must be up).</summary>
    public static async Task<DialectProbes> PrepareAsync(HttpClient client, string apiKey)
    {
        var task = await AccountTaskTestSupport.CreateAsync(client);
        return new DialectProbes(client, apiKey, task.GetProperty("ID").GetString()!);
    }

    /// <summary>One create on every surface, side by side.</summary>
    public Task<DialectAnswer[]> CreateOnEveryDialectAsync() => Task.WhenAll(Dialects.Select(CreateAsync));

    /// <summary>One create on <paramref name="dialect"/>.</summary>
    public async Task<DialectAnswer> CreateAsync(string dialect)
    {
        using var request = dialect switch
        {
            "native" => Json(HttpMethod.Post, "/api/jobs", """{"type":"probe","name":"dialect probe"}""", "application/json"),
            "elastic-path" => Json(HttpMethod.Post, ElasticPathTestSupport.JobsPath, ElasticPathTestSupport.Body("billing-run"), "application/json"),
            "2sms" => new HttpRequestMessage(HttpMethod.Post, $"{AccountTaskTestSupport.TasksPath}/run?id={_taskId}"),
            "soap" => Json(HttpMethod.Post, SoapHttp.T2APath, Envelopes.Soap11(Envelopes.JobCreate(_apiKey, "probe")), Envelopes.Soap11Type),
            _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, null),
        };
        var clock = Stopwatch.StartNew();
        using var response = await _client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        clock.Stop();
        var retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if ((int)response.StatusCode < 400)
        {
            return new DialectAnswer(dialect, response.StatusCode, null, null, retryAfter, clock.Elapsed, body);
        }

        var (code, message) = dialect switch
        {
            "native" => Problem(response, body),
            "elastic-path" => ElasticPathError(response, body),
            "2sms" => TwoSmsError(body),
            _ => SoapFault(response, body),
        };
        return new DialectAnswer(dialect, response.StatusCode, code, message, retryAfter, clock.Elapsed, body);
    }

    /// <summary>
    /// Asserts that every answer is a refusal with <paramref name="status"/>, <paramref name="code"/> and
    /// <paramref name="message"/> in its dialect, <c>Retry-After</c> on a 503, and no stack trace.
    /// </summary>
    public static void AssertRefused(IEnumerable<DialectAnswer> answers, int status, string code, string message)
    {
        foreach (var answer in answers)
        {
            Assert.True((int)answer.Status == status, $"{answer.Dialect}: expected {status}, got {(int)answer.Status}: {answer.Body}");
            Assert.DoesNotContain("   at ", answer.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", answer.Body, StringComparison.Ordinal);
            Assert.Equal(message, answer.Message);
            if (status == 503)
            {
                Assert.Equal(StoreFailureMessages.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.RetryAfter);
            }

            switch (answer.Dialect)
            {
                case "native" or "2sms":
                    Assert.Equal(code, answer.Code);
                    break;
                case "soap":
                    Assert.Equal("soap:Server", answer.Code);
                    break;
                default:
                    Assert.Equal(status == 503 ? "Service Unavailable" : "Insufficient Storage", answer.Code);
                    break;
            }
        }
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, string body, string contentType)
    {
        var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return request;
    }

    private static (string?, string?) Problem(HttpResponseMessage response, string body)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)response.StatusCode, problem.GetProperty("status").GetInt32());
        return (problem.GetProperty("code").GetString(), problem.GetProperty("detail").GetString());
    }

    private static (string?, string?) ElasticPathError(HttpResponseMessage response, string body)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single(JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), error.GetProperty("status").GetString());
        return (error.GetProperty("title").GetString(), error.GetProperty("detail").GetString());
    }

    private static (string?, string?) TwoSmsError(string body)
    {
        var envelope = JsonDocument.Parse(body).RootElement;
        Assert.Equal(JsonValueKind.Null, envelope.GetProperty("ResponseData").ValueKind);
        var error = envelope.GetProperty("Error");
        return (error.GetProperty("ErrorCode").GetString(), error.GetProperty("ErrorReason").GetString());
    }

    private static (string?, string?) SoapFault(HttpResponseMessage response, string body)
    {
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        var fault = XDocument.Parse(body).Descendants(XName.Get("Fault", Envelopes.Soap11Ns)).Single();
        return (fault.Element("faultcode")?.Value, fault.Element("faultstring")?.Value);
    }
}
