using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.Soap;

/// <summary>An HTTP answer as the golden files record it.</summary>
internal sealed record SoapReply(HttpStatusCode Status, string? ContentType, string Body);

/// <summary>Raw SOAP envelopes, written by hand as a client would send them.</summary>
internal static class Envelopes
{
    public const string Soap11Ns = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string Soap12Ns = "http://www.w3.org/2003/05/soap-envelope";
    public const string Soap11Type = "text/xml; charset=utf-8";
    public const string Soap12Type = "application/soap+xml; charset=utf-8";

    public static string Soap11(string body, string? header = null) => Envelope(Soap11Ns, body, header);

    public static string Soap12(string body, string? header = null) => Envelope(Soap12Ns, body, header);

    public static string Envelope(string ns, string body, string? header = null) =>
        $"""<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="{ns}">{(header is null ? "" : $"<soap:Header>{header}</soap:Header>")}<soap:Body>{body}</soap:Body></soap:Envelope>""";

    public static string JobCreate(string apiKey, string client) =>
        $"""<job_create xmlns="https://api.t2a.io/soap"><api_key>{apiKey}</api_key><client>{client}</client></job_create>""";

    public static string GetJobStatus(string key, string jobId) =>
        $"""<GetJobStatus xmlns="http://api.discountasp.net/"><key>{key}</key><jobId>{jobId}</jobId></GetJobStatus>""";

    public static string GetUploadJobStatus(string userId, string jobId) =>
        $"""<getUploadJobStatus xmlns="http://www.magnetmail.net/"><user_id>{userId}</user_id><jobid>{jobId}</jobid></getUploadJobStatus>""";

    public static string MmAuthHeader(string sessionId, string userId = "mm-user") =>
        $"""<mmAuthHeader xmlns="http://www.magnetmail.net/"><sessionId>{sessionId}</sessionId><user_id>{userId}</user_id></mmAuthHeader>""";
}

internal static class SoapHttp
{
    public const string T2APath = "/soap/t2a.asmx";
    public const string CustomerApiPath = "/1.0/customerapi.asmx";
    public const string MagnetMailPath = "/mmapi.asmx";

    public static async Task<SoapReply> PostAsync(HttpClient client, string path, string? contentType, string body, string? soapAction = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (soapAction is not null)
        {
            request.Headers.TryAddWithoutValidation("SOAPAction", soapAction);
        }

        return await SendAsync(client, request);
    }

    public static async Task<SoapReply> GetAsync(HttpClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await SendAsync(client, request);
    }

    public static async Task<SoapReply> PostFormAsync(HttpClient client, string url, string form, string contentType = "application/x-www-form-urlencoded")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(form) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await SendAsync(client, request);
    }

    private static async Task<SoapReply> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        return new SoapReply(response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
    }
}

/// <summary>
/// Compares replies with files under <c>Soap/Golden</c>: status line, content type and the exact body, after
/// dates and the values a test names are replaced by placeholders. <c>UPDATE_GOLDEN=1</c> rewrites the files
/// in the source tree instead (review the diff before committing it).
/// </summary>
internal static partial class Golden
{
    public static void AssertMatches(string name, SoapReply reply, params (string Value, string Placeholder)[] substitutions)
    {
        var actual = Render(reply, substitutions);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(SourceDirectory(), "Golden", name + ".txt"), actual);
            return;
        }

        var path = Path.Combine(AppContext.BaseDirectory, "Soap", "Golden", name + ".txt");
        Assert.True(File.Exists(path), $"Golden file {name}.txt is missing; run with UPDATE_GOLDEN=1 to create it. Actual:\n{actual}");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }

    /// <summary>A number as the content of one element, e.g. <c>&lt;jobid&gt;12&lt;/jobid&gt;</c>.</summary>
    public static (string, string) Element(string element, long value, string placeholder) =>
        ($"<{element}>{value}</{element}>", $"<{element}>{{{placeholder}}}</{element}>");

    public static (string, string) Text(string value, string placeholder) => (value, $"{{{placeholder}}}");

    private static string Render(SoapReply reply, (string Value, string Placeholder)[] substitutions)
    {
        var body = DateTimePattern().Replace(reply.Body, "{dateTime}");
        foreach (var (value, placeholder) in substitutions)
        {
            body = body.Replace(value, placeholder, StringComparison.Ordinal);
        }

        return $"HTTP {(int)reply.Status}\nContent-Type: {reply.ContentType}\n\n{body}\n";
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")]
    private static partial Regex DateTimePattern();
}

/// <summary>Jobs in the states a test needs, written through the store's domain methods as a worker would.</summary>
internal static class TestJobs
{
    private const string Worker = "test-worker";

    public static async Task<Job> CreateAsync(GatewayFactory gateway, Guid clientId, string type = "upload", string? name = null)
    {
        using var scope = gateway.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<IJobStore>().CreateAsync(new NewJob(clientId, type, name), CancellationToken.None);
        return result.Job!;
    }

    /// <summary>The client's jobs, read from the store (whatever its keys may do).</summary>
    public static async Task<IReadOnlyList<Job>> ListAsync(GatewayFactory gateway, Guid clientId)
    {
        using var scope = gateway.Services.CreateScope();
        var page = await scope.ServiceProvider.GetRequiredService<IJobStore>().ListAsync(clientId, new JobQuery { Limit = JobQuery.MaxPageSize }, CancellationToken.None);
        return page.Items;
    }

    public static async Task<int> CountAsync(GatewayFactory gateway, Guid clientId) => (await ListAsync(gateway, clientId)).Count;

    public static Task<Job> StartAsync(GatewayFactory gateway, Job job) =>
        UpdateAsync(gateway, job, (j, now) => j.Start(Worker, now.AddMinutes(5), now));

    public static async Task<Job> SucceedAsync(GatewayFactory gateway, Job job, string? report)
    {
        await StartAsync(gateway, job);
        return await UpdateAsync(gateway, job, (j, now) => j.Succeed(Worker, report, now));
    }

    public static async Task<Job> FailAsync(GatewayFactory gateway, Job job, JobError error)
    {
        await StartAsync(gateway, job);
        return await UpdateAsync(gateway, job, (j, now) => j.Fail(Worker, error, now));
    }

    public static Task<Job> CancelAsync(GatewayFactory gateway, Job job) =>
        UpdateAsync(gateway, job, (j, now) => j.RequestCancellation(now));

    private static async Task<Job> UpdateAsync(GatewayFactory gateway, Job job, Action<Job, DateTimeOffset> change)
    {
        using var scope = gateway.Services.CreateScope();
        var now = gateway.Time.GetUtcNow();
        var updated = await scope.ServiceProvider.GetRequiredService<IJobStore>().UpdateAsync(job.ClientId, job.Id, j => change(j, now), CancellationToken.None);
        return updated!;
    }
}

/// <summary>The native API, as the SOAP tests use it to cross-check.</summary>
internal static class NativeApi
{
    public static async Task<JsonElement> CreateJobAsync(HttpClient client, string type, string name)
    {
        var response = await client.PostAsJsonAsync("/api/jobs", new { type, name });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement[]> ListJobsAsync(HttpClient client)
    {
        var list = await client.GetFromJsonAsync<JsonElement>("/api/jobs?pageSize=100");
        return [.. list.GetProperty("items").EnumerateArray()];
    }
}
