using System.Net;
using System.Net.Http.Headers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using JobGateway.Api.Tests.AccountTasks;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Core.AccountTasks;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.Properties;

/// <summary>
/// <c>POST api/v2/admin/tasks/account</c> with generated bodies in each of the 2sms readers' formats: seed 002's
/// request (valid values) in JSON, XML and form encoding, its members changed, removed, doubled or given markup, the
/// document around them changed (declarations, encodings, DTDs), then possibly cut or spliced; with Accept headers
/// that choose the answer's format. Each case runs for a new tenant and counts its tasks in the store.
/// </summary>
public sealed class TwoSmsReaderProperties(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private const string TaskId = "282325b9-d725-4afd-b11e-3d3b60172acd";

    private static readonly string[] Members = ["TaskID", "Frequency", "StartDate", "FinishDate", "Parameters", "ContentType", "Notification", "Name"];

    private static readonly (string Name, string Value)[] ValidMembers =
    [
        ("TaskID", TaskId), ("Frequency", "DAILY"), ("StartDate", "2024-12-22T09:54:10.8226964+00:00"), ("FinishDate", "2024-12-23T09:54:10.8226964+00:00"),
        ("Parameters", """{"report":"usage"}"""), ("ContentType", "application/json"), ("Notification", "NONE"), ("Name", "usage report"),
    ];

    private static readonly string[] KnownMedia = ["application/json", "text/json", "application/xml", "text/xml"];

    /// <summary>Accept headers, each with the answer's media type it asks for (null: the request's format decides).</summary>
    private static readonly (string? Accept, string? Media)[] Accepts =
    [
        (null, null), ("application/json", "application/json"), ("text/json", "text/json"), ("application/xml", "application/xml"),
        ("text/xml", "text/xml"), ("*/*", null), ("text/html", null), ("application/xml;q=0.5, application/json", "application/json"),
        ("application/json;q=0", null), ("garbage;;", null),
    ];

    internal static readonly Arbitrary<Mutated<string>> JsonCases = Cases(
        Generated.BodyEncoding,
        JsonBodies.MemberEdit(Members),
        ["application/json", "text/json", "application/json; charset=utf-8"],
        ["text/plain", "application/xml", "application/x-www-form-urlencoded", null]);

    private static readonly Arbitrary<Mutated<string>> XmlCases = Cases(
        Generated.BodyEncoding,
        Gen.Frequency((3, XmlBodies.ElementEdit(Members)), (1, XmlBodies.DocumentEdit), (1, RootEdit)),
        ["application/xml", "text/xml", "application/xml; charset=utf-8"],
        ["application/json", "text/plain", "application/soap+xml"]);

    private static readonly Arbitrary<Mutated<string>> FormCases = Cases(
        Gen.Constant("utf-8"),
        FormEdit,
        ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8"],
        ["multipart/form-data", "application/json", "text/plain"]);

    private static Gen<Edit> RootEdit => Gen.OneOf(
        from name in Gen.Elements("AccountTask", "accountTaskRequest", "x", "soap:Envelope")
        select new Edit($"rename the root to {name}", t => t.Replace("AccountTaskRequest", name, StringComparison.Ordinal)),
        from ns in Gen.Elements("urn:other", "")
        select new Edit($"put the root in namespace '{ns}'", t => t.Replace("<AccountTaskRequest ", $"<AccountTaskRequest xmlns=\"{ns}\" ", StringComparison.Ordinal)));

    private static Gen<Edit> FormEdit => Gen.OneOf(
        from name in Gen.Elements(Members)
        from value in Generated.HostileText
        select new Edit($"set {name} to {Generated.Literal(value)}", t => SetField(t, name, Generated.PercentEncode(value))),
        from name in Gen.Elements(Members)
        select new Edit($"remove {name}", t => string.Join("&", t.Split('&').Where(f => !f.StartsWith(name + "=", StringComparison.Ordinal)))),
        from name in Gen.Elements(Members)
        select new Edit($"add a second {name}", t => $"{t}&{name}=again"),
        from raw in Gen.Elements("%zz", "%", "&&&", "=", "a=b=c", "%ED%A0%80", "%00", "+", "TaskID")
        select new Edit($"append the raw field {Generated.Literal(raw)}", t => t + "&" + raw),
        from count in Gen.Elements(1100, 5000)
        select new Edit($"append {count} unknown fields", t => t + string.Concat(Enumerable.Range(0, count).Select(i => $"&f{i}=1"))),
        from length in Gen.Elements(2049, 100_000)
        select new Edit($"append a field named with {length} characters", t => t + "&" + new string('k', length) + "=1"));

    /// <summary>JSON bodies: a 201 with the task stored, or an error envelope with nothing stored.</summary>
    [Property(MaxTest = 500, QuietOnSuccess = false)]
    public Property JsonBody_IsStoredOrRefusedInTheEnvelope() =>
        Prop.ForAll(JsonCases, c => Generated.Run(() => CheckJsonAsync(gateway, c)));

    /// <summary>XML bodies: a 201 with the task stored, or an error envelope with nothing stored.</summary>
    [Property(MaxTest = 500, QuietOnSuccess = false)]
    public Property XmlBody_IsStoredOrRefusedInTheEnvelope() =>
        Prop.ForAll(XmlCases, c => Generated.Run(() => CheckAsync(gateway, c, AccountTaskTestSupport.ValidXml(Guid.Parse(TaskId)), "application/xml")));

    /// <summary>Form bodies: a 201 with the task stored, or an error envelope with nothing stored.</summary>
    [Property(MaxTest = 300, QuietOnSuccess = false)]
    public Property FormBody_IsStoredOrRefusedInTheEnvelope() =>
        Prop.ForAll(FormCases, c => Generated.Run(() => CheckAsync(gateway, c, string.Join("&", ValidMembers.Select(m => $"{m.Name}={Generated.PercentEncode(m.Value)}")), "application/x-www-form-urlencoded")));

    private static Arbitrary<Mutated<string>> Cases(Gen<string> encodings, Gen<Edit> formatEdits, string?[] contentTypes, string?[] otherContentTypes) =>
        Generated.Arbitrary(
            from encoding in encodings
            from edits in Generated.Edits(formatEdits, 3)
            from textEdits in Gen.Frequency((4, Gen.Constant<IReadOnlyList<Edit>>([])), (1, Generated.Edits(Generated.TextEdit, 2)))
            from contentType in Gen.Frequency((8, Gen.Elements(contentTypes)), (1, Gen.Elements(otherContentTypes)))
            from accept in Gen.Elements(Accepts.Select(a => a.Accept).ToArray())
            select new Mutated<string>(encoding, [.. edits, .. textEdits], new RequestHeaders(contentType, accept)));

    /// <summary>Runs one JSON case against <paramref name="gateway"/> (also on PostgreSQL: <see cref="PostgresCreateProperties"/>).</summary>
    internal static Task CheckJsonAsync(GatewayFactory gateway, Mutated<string> c) =>
        CheckAsync(gateway, c, JsonBodies.Render(ValidMembers.Select(m => (m.Name, JsonBodies.Quote(m.Value)))), "application/json");

    private static async Task CheckAsync(GatewayFactory gateway, Mutated<string> c, string valid, string validContentType)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, AccountTaskTestSupport.TasksPath)
        {
            Content = new ByteArrayContent(Generated.Encode(c.Apply(valid), c.Variant)),
        };
        if (c.Headers.ContentType is { } contentType)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (c.Headers.Accept is { } accept)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var answer = await Answer.ReadAsync(await client.SendAsync(request));
        var stored = await CountTasksAsync(gateway, tenant);

        var sent = c.Headers.ContentType is null ? null : MediaTypeHeaderValue.Parse(c.Headers.ContentType).MediaType;
        var media = Accepts.Single(a => a.Accept == c.Headers.Accept).Media
            ?? KnownMedia.FirstOrDefault(m => string.Equals(m, sent, StringComparison.OrdinalIgnoreCase))
            ?? "application/json";
        if (c.Edits.Count == 0 && c.Variant == "utf-8" && c.Headers.ContentType == validContentType)
        {
            Dialects.Expect(answer.Status == HttpStatusCode.Created, answer, "201 for the valid request");
        }

        if (answer.Status == HttpStatusCode.Created)
        {
            Dialects.TwoSmsEnvelope(answer, media, failed: false);
            Dialects.Expect(stored == 1, answer, $"one task stored (found {stored})");
            return;
        }

        Dialects.Expect(answer.Code is 400 or 413 or 415, answer, "201, 400, 413 or 415");
        Dialects.TwoSmsEnvelope(answer, media, failed: true);
        Dialects.Expect(stored == 0, answer, $"nothing stored (found {stored} tasks)");
    }

    private static async Task<int> CountTasksAsync(GatewayFactory gateway, TestTenant tenant)
    {
        await using var scope = gateway.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<IAccountTaskStore>().ListAsync(tenant.ClientId, 0, 100, CancellationToken.None)).Count;
    }

    private static string SetField(string form, string name, string value)
    {
        var fields = form.Split('&').ToList();
        var at = fields.FindIndex(f => f.StartsWith(name + "=", StringComparison.Ordinal));
        if (at >= 0)
        {
            fields[at] = $"{name}={value}";
        }
        else
        {
            fields.Add($"{name}={value}");
        }

        return string.Join("&", fields);
    }
}
