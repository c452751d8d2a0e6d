using System.Text.Json;

namespace JobGateway.Rest.ElasticPath;

/// <summary>
/// Shapes what the worker reported (the job's report JSON) into Elastic Path's <c>meta.report</c> of the job
/// type. Workers may report only some counters, or nothing yet: a missing or unreadable counter reads as 0
/// and a missing total as an empty object, so clients always see the full shape.
/// </summary>
internal static class ElasticPathReport
{
    public static object? For(string jobType, string? reportJson)
    {
        using var document = TryParse(reportJson);
        var root = document?.RootElement is { ValueKind: JsonValueKind.Object } element ? element : default;
        return jobType switch
        {
            ElasticPathJobTypes.BillingRun => new BillingRunReport(
                Count(root, "invoices_ready_for_payment"),
                Count(root, "invoices_tax_required"),
                Count(root, "invoice_failures"),
                Totals(root, "total_ready_for_payment"),
                Totals(root, "total_tax_required")),
            ElasticPathJobTypes.TaxRun => new TaxRunReport(
                Count(root, "invoices_updated"),
                Count(root, "invoice_failures")),
            ElasticPathJobTypes.PaymentRun => new PaymentRunReport(
                Count(root, "total_payment_attempts"),
                Count(root, "failed_payments"),
                Totals(root, "total_collected")),
            _ => null,
        };
    }

    private static JsonDocument? TryParse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            // The report is the worker's free text; a malformed one must not break reads of the job.
            return null;
        }
    }

    private static long Count(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count)
            ? count
            : 0;

    private static Dictionary<string, MoneyAmount> Totals(JsonElement root, string name)
    {
        var totals = new Dictionary<string, MoneyAmount>(StringComparer.Ordinal);
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out var byCurrency) || byCurrency.ValueKind != JsonValueKind.Object)
        {
            return totals;
        }

        foreach (var currency in byCurrency.EnumerateObject())
        {
            if (currency.Value.ValueKind == JsonValueKind.Object)
            {
                var includesTax = currency.Value.TryGetProperty("includes_tax", out var flag) && flag.ValueKind == JsonValueKind.True;
                totals[currency.Name] = new MoneyAmount(Count(currency.Value, "amount"), includesTax);
            }
        }

        return totals;
    }
}
