using System.Globalization;
using FluentValidation;
using JobGateway.Core.Jobs;
using JobGateway.Rest.Http;
using Microsoft.AspNetCore.Mvc;

namespace JobGateway.Rest.Jobs;

public sealed class CreateJobRequestValidator : AbstractValidator<CreateJobRequest>
{
    public CreateJobRequestValidator()
    {
        RuleFor(r => r.Type)
            .NotEmpty().OverridePropertyName("type").WithMessage("'type' is required.")
            .MaximumLength(64).WithMessage("'type' must be at most 64 characters.")
            .Matches("^[a-z0-9][a-z0-9._-]*$").WithMessage("'type' may contain only lower-case letters, digits, '.', '_' and '-'.");
        RuleFor(r => r.Name).MaximumLength(1024).WithMessage("'name' must be at most 1024 characters.")
            .Storable("name").OverridePropertyName("name");
        RuleFor(r => r.ExternalRef).MaximumLength(256).WithMessage("'externalRef' must be at most 256 characters.")
            .Storable("externalRef").OverridePropertyName("externalRef");
    }
}

/// <summary>Filters and paging of <c>GET /api/jobs</c>, as sent.</summary>
public sealed class JobListQuery
{
    /// <summary>Comma-separated statuses, e.g. <c>pending,running</c>.</summary>
    [FromQuery(Name = "status")]
    public string? Status { get; set; }

    /// <summary>Comma-separated job types.</summary>
    [FromQuery(Name = "type")]
    public string? Type { get; set; }

    /// <summary>Exact external reference.</summary>
    [FromQuery(Name = "externalRef")]
    public string? ExternalRef { get; set; }

    /// <summary>Created at or after (ISO 8601).</summary>
    [FromQuery(Name = "createdFrom")]
    public string? CreatedFrom { get; set; }

    /// <summary>Created before (ISO 8601).</summary>
    [FromQuery(Name = "createdTo")]
    public string? CreatedTo { get; set; }

    /// <summary>1 to 100; default 25.</summary>
    [FromQuery(Name = "pageSize")]
    public int? PageSize { get; set; }

    /// <summary>The <c>nextPageToken</c> of the previous page.</summary>
    [FromQuery(Name = "pageToken")]
    public string? PageToken { get; set; }

    internal JobQuery ToQuery() => new()
    {
        Statuses = Split(Status).Select(s => NativeStatus.FromWord(s)!.Value).ToArray(),
        Types = Split(Type).ToArray(),
        ExternalRef = string.IsNullOrEmpty(ExternalRef) ? null : ExternalRef,
        CreatedFrom = ParseDate(CreatedFrom),
        CreatedTo = ParseDate(CreatedTo),
        AfterNumber = string.IsNullOrEmpty(PageToken) ? null : long.Parse(PageToken, CultureInfo.InvariantCulture),
        Limit = PageSize ?? 25,
    };

    internal static IEnumerable<string> Split(string? list) =>
        (list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    internal static DateTimeOffset? ParseDate(string? text) =>
        string.IsNullOrEmpty(text) ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}

public sealed class JobListQueryValidator : AbstractValidator<JobListQuery>
{
    public JobListQueryValidator()
    {
        RuleFor(q => q.Status)
            .Must(list => JobListQuery.Split(list).All(s => NativeStatus.FromWord(s) is not null))
            .WithMessage("'status' must list pending, running, succeeded, failed or cancelled.")
            .OverridePropertyName("status");
        RuleFor(q => q.CreatedFrom).Must(BeDate).WithMessage("'createdFrom' must be an ISO 8601 date-time.").OverridePropertyName("createdFrom");
        RuleFor(q => q.CreatedTo).Must(BeDate).WithMessage("'createdTo' must be an ISO 8601 date-time.").OverridePropertyName("createdTo");
        RuleFor(q => q.PageSize).InclusiveBetween(1, JobQuery.MaxPageSize)
            .WithMessage($"'pageSize' must be between 1 and {JobQuery.MaxPageSize}.").OverridePropertyName("pageSize");
        RuleFor(q => q.PageToken)
            .Must(t => string.IsNullOrEmpty(t) || (long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 0))
            .WithMessage("'pageToken' is not a token this API returned.").OverridePropertyName("pageToken");
    }

    private static bool BeDate(string? text) =>
        string.IsNullOrEmpty(text) || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);
}
