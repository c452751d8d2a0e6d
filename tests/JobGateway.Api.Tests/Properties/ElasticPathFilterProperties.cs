using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using JobGateway.Api.Tests.ElasticPath;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Soap;
using JobGateway.Rest.ElasticPath;

namespace JobGateway.Api.Tests.Properties;

/// <summary>One clause of a generated filter, and whether the grammar accepts it (null: not decided by the generator).</summary>
public sealed record FilterClause(string Text, bool? Valid, bool IsLike = false)
{
    public override string ToString() => Generated.Literal(Text) + (Valid switch { true => "", false => " (invalid)", null => " (?)" });
}

/// <summary>A generated <c>GET /v2/subscriptions/jobs</c> query.</summary>
public sealed record FilterQuery(
    IReadOnlyList<FilterClause> Clauses, string Separator, IReadOnlyList<Edit> Edits, string? Offset, string? Limit, string RawSuffix)
{
    /// <summary>True or false when the generator knows whether the query is valid; null when an edit or an odd value makes it unknown.</summary>
    public bool? Valid
    {
        get
        {
            // Paging is validated before the filter is read.
            if (!IsNumber(Offset, 0, int.MaxValue) || !IsNumber(Limit, 1, 100))
            {
                return false;
            }

            if (Edits.Count > 0 || RawSuffix.Length > 0 || (Clauses.Count > 1 && Separator != ":") || Clauses.Any(c => c.Valid is null))
            {
                return null;
            }

            return Clauses.All(c => c.Valid == true) && Clauses.Count(c => c.IsLike) <= 1;
        }
    }

    public string Filter => Edits.Aggregate(string.Join(Separator, Clauses.Select(c => c.Text)), (text, edit) => edit.Apply(text));

    public string Url
    {
        get
        {
            var query = new List<string>();
            if (Clauses.Count > 0 || Edits.Count > 0)
            {
                query.Add("filter=" + Generated.PercentEncode(Filter));
            }

            if (Offset is not null)
            {
                query.Add("page%5Boffset%5D=" + Generated.PercentEncode(Offset));
            }

            if (Limit is not null)
            {
                query.Add("page%5Blimit%5D=" + Generated.PercentEncode(Limit));
            }

            return ElasticPathTestSupport.JobsPath + "?" + string.Join("&", query) + RawSuffix;
        }
    }

    private static bool IsNumber(string? text, int min, int max) =>
        string.IsNullOrEmpty(text)
        || (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max);

    public override string ToString() =>
        $"filter [{string.Join($" {Generated.Literal(Separator)} ", Clauses)}] edits [{string.Join("; ", Edits)}] offset {Offset ?? "-"} limit {Limit ?? "-"} suffix {Generated.Literal(RawSuffix)} => {Generated.Literal(Url)}";
}

/// <summary>
/// Elastic Path's filter grammar (<c>eq(status,pending):in(job_type,billing-run,tax-run)…</c>) with generated
/// filters: valid clauses of every field and operator, clauses with unknown fields, wrong operators and bad values,
/// and any of them cut, spliced or joined wrongly, with paging parameters good and bad.
/// </summary>
public sealed class ElasticPathFilterProperties(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private static readonly string[] StatusWords = ["pending", "started", "success", "failed"];
    private static readonly string[] Dates = ["2026-01-05T09:00:00Z", "2026-01-05", "2026-01-05T09:00:00.1234567+02:00", "2026-01-05T09:00:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"];

    private static readonly Arbitrary<FilterQuery> Queries = Arb.From(
        from clauses in Gen.Frequency((1, Generated.ListOf(Clause, 0, 0)), (8, Generated.ListOf(Clause, 1, 4)))
        from separator in Gen.Frequency((9, Gen.Constant(":")), (1, Gen.Elements(",", "::", " : ", ";", "")))
        from edits in Gen.Frequency((3, Gen.Constant<IReadOnlyList<Edit>>([])), (1, Generated.Edits(Generated.TextEdit, 2)))
        from offset in Gen.Frequency((4, Gen.Constant<string?>(null)), (1, Gen.Elements<string?>("0", "5", "-1", "abc", "2147483647", "99999999999", " 1", "")))
        from limit in Gen.Frequency((4, Gen.Constant<string?>(null)), (1, Gen.Elements<string?>("1", "100", "0", "101", "x", "2147483647", "")))
        from suffix in Gen.Frequency((9, Gen.Constant("")), (1, Gen.Elements("%", "%F", "%FF%FE", "%00", "&filter=eq(status,pending)", "&page%5Blimit%5D=1&page%5Blimit%5D=2", "&filter")))
        select new FilterQuery([.. clauses], separator, edits, offset, limit, suffix),
        Shrink);

    private static Gen<FilterClause> Clause => Gen.Frequency(
        (2, from words in Generated.ListOf(Gen.Elements(StatusWords), 1, 3)
            from op in Gen.Elements("eq", "in")
            let values = op == "eq" ? words.Take(1) : words
            select new FilterClause($"{op}(status,{string.Join(",", values.Select(QuoteSometimes))})", true)),
        (2, from types in Generated.ListOf(FreeValue, 1, 3)
            from op in Gen.Elements("eq", "in")
            let values = op == "eq" ? types.Take(1) : types
            select new FilterClause($"{op}(job_type,{string.Join(",", values.Select(v => v.Text))})", values.All(v => v.Valid))),
        (2, from refs in Generated.ListOf(FreeValue, 1, 3)
            from op in Gen.Elements("eq", "in", "like")
            let values = op == "in" ? refs : refs.Take(1)
            select new FilterClause(
                $"{op}(external_ref,{string.Join(",", values.Select(v => v.Text))})",
                values.All(v => v.Valid) && (op != "like" || values.All(v => v.Length <= ElasticPathFilter.MaxLikePatternLength)),
                op == "like")),
        (2, from op in Gen.Elements("eq", "gt", "ge", "lt", "le")
            from date in Gen.Elements(Dates)
            select new FilterClause($"{op}(created_at,{QuoteSometimes(date)})", true)),
        (2, from op in Gen.Elements("eq", "in", "like", "gt", "ne", "EQ", "", "eq ")
            from name in Gen.Elements("status", "job_type", "external_ref", "created_at", "id", "Status", "", "created-at")
            from values in Generated.ListOf(Generated.HostileText.Select(Quoted), 0, 3)
            select new FilterClause($"{op}({name},{string.Join(",", values)})", null)),
        (1, from text in Generated.HostileText
            select new FilterClause(text, null)));

    // A value any field but status and created_at takes: a quoted string of anything, or a plain word.
    private static Gen<(string Text, bool Valid, int Length)> FreeValue => Gen.Frequency(
        (2, Generated.HostileText.Select(t => (Quoted(t), true, t.Length))),
        (2, Gen.Elements("billing-run", "tax-run", "abc123", "inv-*", "*", "a b").Select(t => (t, true, t.Length))),
        (1, Gen.Elements("", " ", "a\"b", "a(b").Select(t => (t, false, t.Length))));

    private (TestTenant Tenant, int Jobs)? _tenant;

    /// <summary>
    /// Every query is answered 200 with a JSON:API page or 400 with Elastic Path's <c>errors</c>; a query the grammar
    /// accepts always gets 200 and one it refuses 400; never a 500 or an exception's text, and nothing is stored.
    /// </summary>
    [Property(MaxTest = 1000, QuietOnSuccess = false)]
    public Property Filter_IsAppliedOrRefusedInElasticPathErrors() =>
        Prop.ForAll(Queries, q => Generated.Run(() => CheckAsync(q)));

    private async Task CheckAsync(FilterQuery query)
    {
        // FsCheck.Xunit does not run IAsyncLifetime on the test class: the first case makes the tenant and its jobs.
        var (tenant, jobs) = _tenant ??= await CreateTenantWithJobsAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var answer = await Answer.ReadAsync(await client.GetAsync(new Uri(query.Url, UriKind.Relative)));

        Dialects.Expect(answer.Code is 200 or 400, answer, "200 or 400");
        Dialects.Expect(query.Valid != true || answer.Code == 200, answer, "200 for a valid query");
        Dialects.Expect(query.Valid != false || answer.Code == 400, answer, "400 for an invalid query");
        if (answer.Code == 200)
        {
            Dialects.Expect(answer.MediaType == "application/json", answer, "application/json");
            var page = Dialects.ParseJson(answer);
            Dialects.Expect(page.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
                && data.EnumerateArray().All(j => j.GetProperty("type").GetString() == "subscription_job")
                && page.TryGetProperty("links", out _) && page.TryGetProperty("meta", out _), answer, "a page of subscription jobs with links and meta");
        }
        else
        {
            Dialects.ElasticPathErrors(answer);
        }

        var stored = await TestJobs.CountAsync(gateway, tenant.ClientId);
        Dialects.Expect(stored == jobs, answer, $"still {jobs} jobs (found {stored})");
    }

    private async Task<(TestTenant, int)> CreateTenantWithJobsAsync()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        foreach (var (type, reference) in new[] { ("billing-run", "abc123"), ("tax-run", "inv-1"), ("payment-run", null as string) })
        {
            await ElasticPathTestSupport.CreateAsync(client, type, reference);
        }

        return (tenant, await TestJobs.CountAsync(gateway, tenant.ClientId));
    }

    private static string Quoted(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string QuoteSometimes(string word) => word.Length % 2 == 0 ? Quoted(word) : word;

    private static IEnumerable<FilterQuery> Shrink(FilterQuery query)
    {
        for (var i = 0; i < query.Edits.Count; i++)
        {
            yield return query with { Edits = [.. query.Edits.Take(i), .. query.Edits.Skip(i + 1)] };
        }

        for (var i = 0; i < query.Clauses.Count; i++)
        {
            yield return query with { Clauses = [.. query.Clauses.Take(i), .. query.Clauses.Skip(i + 1)] };
        }

        if (query.RawSuffix.Length > 0)
        {
            yield return query with { RawSuffix = string.Empty };
        }

        if (query.Separator != ":")
        {
            yield return query with { Separator = ":" };
        }

        if (query.Offset is not null || query.Limit is not null)
        {
            yield return query with { Offset = null, Limit = null };
        }
    }
}
