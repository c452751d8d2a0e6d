using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Soap;

namespace JobGateway.Api.Tests.Properties;

/// <summary>
/// <c>POST /api/jobs</c> with generated bodies: a valid create request whose members are replaced, removed or
/// doubled with values of any JSON kind, then possibly cut or spliced, under assorted media types and
/// Idempotency-Key headers. Each case runs for a new tenant and counts its jobs in the store.
/// </summary>
public sealed class NativeCreateProperties(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private const string Json = "application/json";

    private static readonly (string Name, string Value)[] ValidBody =
        [("type", "\"billing-run\""), ("name", "\"November\""), ("payload", """{"invoices":[1,2]}"""), ("externalRef", "\"inv-42\"")];

    private static readonly Gen<RequestHeaders> Headers =
        from contentType in Gen.Frequency(
            (8, Gen.Constant<string?>(Json)),
            (2, Gen.Elements<string?>("application/json; charset=utf-8", "text/json", "application/problem+json", "application/vnd.api+json")),
            (1, Gen.Elements<string?>("text/plain", "application/xml", "application/x-www-form-urlencoded", "application/json; charset=utf-16", null)))
        from key in Gen.Frequency(
            (6, Gen.Constant<string?>(null)),
            (1, Gen.Elements<string?>("retry-1", "", " ", new string('k', 256), new string('k', 257), "é-key")))
        select new RequestHeaders(contentType, IdempotencyKey: key);

    internal static readonly Arbitrary<Mutated<string>> Cases = Generated.Arbitrary(
        from edits in Generated.Edits(JsonBodies.MemberEdit("type", "name", "payload", "externalRef"), 3)
        from textEdits in Gen.Frequency((4, Gen.Constant<IReadOnlyList<Edit>>([])), (1, Generated.Edits(Generated.TextEdit, 2)))
        from headers in Gen.Frequency((3, Gen.Constant(new RequestHeaders(Json))), (2, Headers))
        select new Mutated<string>("native create", [.. edits, .. textEdits], headers));

    /// <summary>
    /// Every body is answered 202 with one job stored, or 4xx problem details with a <c>code</c> and nothing
    /// stored; never a 500 or an exception's text. The valid body itself is accepted.
    /// </summary>
    [Property(MaxTest = 600, QuietOnSuccess = false)]
    public Property CreateBody_IsAcceptedOrRefusedInProblemDetails_AndStoresOnlyWhenAccepted() =>
        Prop.ForAll(Cases, c => Generated.Run(() => CheckAsync(gateway, c)));

    /// <summary>Runs one case against <paramref name="gateway"/> (also on PostgreSQL: <see cref="PostgresCreateProperties"/>).</summary>
    internal static async Task CheckAsync(GatewayFactory gateway, Mutated<string> c)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var body = c.Apply(JsonBodies.Render(ValidBody));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        if (c.Headers.ContentType is { } contentType)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (c.Headers.IdempotencyKey is { } key)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        var answer = await Answer.ReadAsync(await client.SendAsync(request));
        var stored = await TestJobs.CountAsync(gateway, tenant.ClientId);

        if (c.Edits.Count == 0 && c.Headers == new RequestHeaders(Json))
        {
            Dialects.Expect(answer.Status == HttpStatusCode.Accepted, answer, "202 for the valid body");
        }

        if (answer.Status == HttpStatusCode.Accepted)
        {
            Dialects.Expect(stored == 1, answer, $"one job stored (found {stored})");
            return;
        }

        Dialects.Expect(answer.Code is 400 or 409 or 413 or 415, answer, "202, 400, 409, 413 or 415");
        Dialects.ProblemDetails(answer);
        Dialects.Expect(stored == 0, answer, $"nothing stored (found {stored} jobs)");
    }
}
