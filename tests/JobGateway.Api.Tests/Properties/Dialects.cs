using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Xunit.Sdk;

namespace JobGateway.Api.Tests.Properties;

/// <summary>An answer as the properties judge it.</summary>
public sealed record Answer(HttpStatusCode Status, string? MediaType, string Body)
{
    public int Code => (int)Status;

    public static async Task<Answer> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
        }
    }

    public override string ToString() => $"HTTP {Code} ({MediaType ?? "no content type"}): {(Body.Length > 2000 ? Body[..2000] + "…" : Body)}";
}

/// <summary>What every error answer must look like, per dialect; each check fails with the answer in its message.</summary>
public static partial class Dialects
{
    /// <summary>No stack trace and no exception type name: the body says what was wrong, never how the gateway broke.</summary>
    public static void NoInternals(Answer answer)
    {
        Expect(!answer.Body.Contains("   at ", StringComparison.Ordinal) && !answer.Body.Contains(".cs:line", StringComparison.Ordinal), answer, "a stack trace");
        Expect(!ExceptionName().IsMatch(answer.Body), answer, "an exception type name");
    }

    /// <summary>RFC 9457 problem details with the gateway's <c>code</c>, the status repeated in the body.</summary>
    public static void ProblemDetails(Answer answer)
    {
        NoInternals(answer);
        Expect(answer.MediaType == "application/problem+json", answer, "the media type application/problem+json");
        var problem = ParseJson(answer);
        Expect(problem.ValueKind == JsonValueKind.Object, answer, "a JSON object");
        Expect(problem.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Number && status.GetInt32() == answer.Code, answer, "status equal to the HTTP status");
        Expect(problem.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String, answer, "a title");
        Expect(problem.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String && code.GetString()!.Length > 0, answer, "a code");
    }

    /// <summary>Elastic Path's <c>{"errors":[{"status":"400","title":…}]}</c>.</summary>
    public static void ElasticPathErrors(Answer answer)
    {
        NoInternals(answer);
        Expect(answer.MediaType == "application/json", answer, "the media type application/json");
        var document = ParseJson(answer);
        Expect(document.ValueKind == JsonValueKind.Object && document.TryGetProperty("errors", out var errors)
            && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0, answer, "a non-empty errors array");
        foreach (var error in document.GetProperty("errors").EnumerateArray())
        {
            Expect(error.TryGetProperty("status", out var status) && status.GetString() == answer.Code.ToString(CultureInfo.InvariantCulture), answer, "each error's status equal to the HTTP status, as a string");
            Expect(error.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String, answer, "each error with a title");
        }
    }

    /// <summary>
    /// The 2sms envelope in <paramref name="mediaType"/>: <c>Error</c> with <c>ErrorCode</c> and <c>ErrorReason</c>
    /// and no <c>ResponseData</c> when <paramref name="failed"/>, the other way round when not.
    /// </summary>
    public static void TwoSmsEnvelope(Answer answer, string mediaType, bool failed)
    {
        if (failed)
        {
            NoInternals(answer);
        }

        Expect(answer.MediaType == mediaType, answer, $"the media type {mediaType}");
        if (mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            var envelope = ParseJson(answer);
            Expect(envelope.ValueKind == JsonValueKind.Object
                && envelope.EnumerateObject().Select(p => p.Name).SequenceEqual(["Error", "ResponseData"]), answer, "exactly Error and ResponseData");
            var error = envelope.GetProperty("Error");
            Expect(error.ValueKind == (failed ? JsonValueKind.Object : JsonValueKind.Null), answer, failed ? "an Error" : "no Error");
            Expect(envelope.GetProperty("ResponseData").ValueKind == (failed ? JsonValueKind.Null : JsonValueKind.Object), answer, failed ? "no ResponseData" : "ResponseData");
            if (failed)
            {
                Expect(error.EnumerateObject().Select(p => p.Name).SequenceEqual(["ErrorCode", "ErrorReason"])
                    && error.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String), answer, "ErrorCode and ErrorReason as strings");
            }

            return;
        }

        var root = ParseXml(answer).Root!;
        Expect(root.Name == XName.Get("ResponseOfAccountTaskResponse"), answer, "the root ResponseOfAccountTaskResponse");
        var xmlError = root.Element("Error");
        Expect((xmlError is not null) == failed && (root.Element("ResponseData") is null) == failed, answer, failed ? "an Error and no ResponseData" : "ResponseData and no Error");
        if (failed)
        {
            Expect(xmlError!.Elements().Select(e => e.Name.LocalName).SequenceEqual(["ErrorCode", "ErrorReason"]), answer, "ErrorCode and ErrorReason");
        }
    }

    public static JsonElement ParseJson(Answer answer)
    {
        try
        {
            return JsonDocument.Parse(answer.Body).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new XunitException($"The answer is not JSON ({e.Message}): {answer}");
        }
    }

    public static XDocument ParseXml(Answer answer)
    {
        try
        {
            return XDocument.Parse(answer.Body);
        }
        catch (XmlException e)
        {
            throw new XunitException($"The answer is not XML ({e.Message}): {answer}");
        }
    }

    public static void Expect(bool condition, Answer answer, string what)
    {
        if (!condition)
        {
            throw new XunitException($"Expected {what}; got {answer}");
        }
    }

    [GeneratedRegex(@"\b[A-Z]\w*Exception\b")]
    private static partial Regex ExceptionName();
}
