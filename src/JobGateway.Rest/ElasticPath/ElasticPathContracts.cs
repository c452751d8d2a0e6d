using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace JobGateway.Rest.ElasticPath;

// The wire names are Elastic Path's (snake_case JSON:API members), spelled out per member so that the
// host's camelCase JSON options and Swagger's schemas both keep them.

/// <summary>The body of <c>POST /v2/subscriptions/jobs</c> (Elastic Path's JobCreate).</summary>
public sealed class SubscriptionJobCreateRequest
{
    /// <summary>The job to create.</summary>
    [JsonPropertyName("data")]
    [Required]
    public SubscriptionJobCreateData? Data { get; init; }

    /// <summary>Reads the body as <c>application/json</c> or <c>application/vnd.api+json</c>.</summary>
    public static ValueTask<SubscriptionJobCreateRequest?> BindAsync(HttpContext context) =>
        ElasticPathBody.ReadAsync<SubscriptionJobCreateRequest>(context);
}

/// <summary>The resource object of a job to create.</summary>
public sealed class SubscriptionJobCreateData
{
    /// <summary>Always <c>subscription_job</c>.</summary>
    /// <example>subscription_job</example>
    [JsonPropertyName("type")]
    [Required]
    public string? Type { get; init; }

    /// <summary>What to run.</summary>
    [JsonPropertyName("attributes")]
    [Required]
    public SubscriptionJobCreateAttributes? Attributes { get; init; }
}

/// <summary>The attributes of a job to create.</summary>
public sealed class SubscriptionJobCreateAttributes
{
    /// <summary>Your own reference for the job (at most 256 characters); filter on it with <c>eq(external_ref,…)</c>.</summary>
    /// <example>abc123</example>
    [JsonPropertyName("external_ref")]
    public string? ExternalRef { get; init; }

    /// <summary><c>billing-run</c>, <c>tax-run</c> or <c>payment-run</c>.</summary>
    /// <example>billing-run</example>
    [JsonPropertyName("job_type")]
    [Required]
    public string? JobType { get; init; }

    /// <summary>Taxes to apply to invoices (tax runs).</summary>
    [JsonPropertyName("taxes")]
    public IReadOnlyList<TaxesForInvoice>? Taxes { get; init; }
}

/// <summary>The tax items of one invoice.</summary>
public sealed class TaxesForInvoice
{
    /// <summary>The invoice (a UUID).</summary>
    /// <example>11111111-2222-3333-4444-555555555555</example>
    [JsonPropertyName("invoice_id")]
    [Required]
    public string? InvoiceId { get; init; }

    /// <summary>The taxes of the invoice.</summary>
    [JsonPropertyName("tax_items")]
    [Required]
    public IReadOnlyList<TaxItem>? TaxItems { get; init; }
}

/// <summary>One tax applied to an invoice.</summary>
public sealed class TaxItem
{
    /// <summary>Always <c>tax_item</c>.</summary>
    /// <example>tax_item</example>
    [JsonPropertyName("type")]
    [Required]
    public string? Type { get; init; }

    /// <summary>Name of the tax (at most 1024 characters).</summary>
    /// <example>GST</example>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    /// <summary>Tax code (at most 1024 characters).</summary>
    /// <example>20.0 % S</example>
    [JsonPropertyName("code")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Code { get; init; }

    /// <summary>The rate as a fraction, e.g. 0.2 for 20 %.</summary>
    /// <example>0.2</example>
    [JsonPropertyName("rate")]
    [Required]
    public decimal? Rate { get; init; }

    /// <summary>Where the tax applies (at most 1024 characters).</summary>
    /// <example>USA</example>
    [JsonPropertyName("jurisdiction")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Jurisdiction { get; init; }
}

/// <summary>One subscription job.</summary>
/// <param name="Data">The job.</param>
public sealed record SubscriptionJobResponse([property: JsonPropertyName("data")] SubscriptionJob Data);

/// <summary>A subscription job resource.</summary>
/// <param name="Id">The job id (the same id as the native API's and DiscountASP's jobId).</param>
/// <param name="Type">Always <c>subscription_job</c>.</param>
/// <param name="Attributes">What was asked for and where it stands.</param>
/// <param name="Meta">Owner, timestamps and the run's report.</param>
public sealed record SubscriptionJob(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("attributes")] SubscriptionJobAttributes Attributes,
    [property: JsonPropertyName("meta")] SubscriptionJobMeta Meta)
{
    public const string ResourceType = "subscription_job";
}

/// <summary>The attributes of a job.</summary>
/// <param name="ExternalRef">Your reference.</param>
/// <param name="JobType"><c>billing-run</c>, <c>tax-run</c> or <c>payment-run</c>.</param>
/// <param name="Taxes">The taxes sent with the job.</param>
/// <param name="Status"><c>pending</c>, <c>started</c>, <c>success</c> or <c>failed</c>.</param>
/// <param name="UpdatedAt">Last change (UTC).</param>
/// <param name="CreatedAt">Creation (UTC).</param>
public sealed record SubscriptionJobAttributes(
    [property: JsonPropertyName("external_ref"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ExternalRef,
    [property: JsonPropertyName("job_type")] string JobType,
    [property: JsonPropertyName("taxes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Taxes,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt);

/// <summary>Facts about a job that are not its attributes.</summary>
/// <param name="Owner">Always <c>store</c>.</param>
/// <param name="Timestamps">When it was created, changed, started and finished.</param>
/// <param name="Report">
/// The run's counters, shaped by job type: billing-run {invoices_ready_for_payment, invoices_tax_required,
/// invoice_failures, total_ready_for_payment, total_tax_required}; tax-run {invoices_updated, invoice_failures};
/// payment-run {total_payment_attempts, failed_payments, total_collected}. Totals are per currency:
/// {"USD": {"amount": 100, "includes_tax": false}}, amounts in minor units.
/// </param>
public sealed record SubscriptionJobMeta(
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("timestamps")] SubscriptionJobTimestamps Timestamps,
    [property: JsonPropertyName("report")] object? Report);

/// <summary>The timestamps of a job (UTC); started_at and finished_at appear once they happened.</summary>
/// <param name="UpdatedAt">Last change.</param>
/// <param name="CreatedAt">Creation.</param>
/// <param name="StartedAt">First start.</param>
/// <param name="FinishedAt">Reached success or failed.</param>
public sealed record SubscriptionJobTimestamps(
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("started_at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("finished_at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? FinishedAt);

/// <summary>The report of a billing run.</summary>
public sealed record BillingRunReport(
    [property: JsonPropertyName("invoices_ready_for_payment")] long InvoicesReadyForPayment,
    [property: JsonPropertyName("invoices_tax_required")] long InvoicesTaxRequired,
    [property: JsonPropertyName("invoice_failures")] long InvoiceFailures,
    [property: JsonPropertyName("total_ready_for_payment")] IReadOnlyDictionary<string, MoneyAmount> TotalReadyForPayment,
    [property: JsonPropertyName("total_tax_required")] IReadOnlyDictionary<string, MoneyAmount> TotalTaxRequired);

/// <summary>The report of a tax run.</summary>
public sealed record TaxRunReport(
    [property: JsonPropertyName("invoices_updated")] long InvoicesUpdated,
    [property: JsonPropertyName("invoice_failures")] long InvoiceFailures);

/// <summary>The report of a payment run.</summary>
public sealed record PaymentRunReport(
    [property: JsonPropertyName("total_payment_attempts")] long TotalPaymentAttempts,
    [property: JsonPropertyName("failed_payments")] long FailedPayments,
    [property: JsonPropertyName("total_collected")] IReadOnlyDictionary<string, MoneyAmount> TotalCollected);

/// <summary>An amount of one currency.</summary>
/// <param name="Amount">In minor units (cents).</param>
/// <param name="IncludesTax">Whether the amount includes tax.</param>
public sealed record MoneyAmount(
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("includes_tax")] bool IncludesTax);

/// <summary>One page of jobs.</summary>
/// <param name="Data">The jobs, oldest first.</param>
/// <param name="Links">Where the other pages are.</param>
/// <param name="Meta">Paging and the number of matches.</param>
public sealed record SubscriptionJobListResponse(
    [property: JsonPropertyName("data")] IReadOnlyList<SubscriptionJob> Data,
    [property: JsonPropertyName("links")] PageLinks Links,
    [property: JsonPropertyName("meta")] ListMeta Meta);

/// <summary>Links to pages of the same query; prev and next are null at the ends.</summary>
public sealed record PageLinks(
    [property: JsonPropertyName("current")] string Current,
    [property: JsonPropertyName("first")] string First,
    [property: JsonPropertyName("last")] string Last,
    [property: JsonPropertyName("prev")] string? Prev,
    [property: JsonPropertyName("next")] string? Next);

/// <summary>Paging facts of a list.</summary>
public sealed record ListMeta(
    [property: JsonPropertyName("page")] PageMeta Page,
    [property: JsonPropertyName("results")] ResultsMeta Results);

/// <summary>The page: size, offset, number (1-based) and the number of pages.</summary>
public sealed record PageMeta(
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("current")] int Current,
    [property: JsonPropertyName("total")] int Total);

/// <summary>How many jobs match the filter.</summary>
public sealed record ResultsMeta([property: JsonPropertyName("total")] int Total);

/// <summary>Elastic Path's error document.</summary>
/// <param name="Errors">One entry per problem found.</param>
public sealed record ElasticPathErrorDocument([property: JsonPropertyName("errors")] IReadOnlyList<ElasticPathError> Errors);

/// <summary>One error.</summary>
/// <param name="Status">The HTTP status, as a string.</param>
/// <param name="Title">What kind of error.</param>
/// <param name="Detail">What exactly was wrong; validation errors start with the member's path.</param>
public sealed record ElasticPathError(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail);
