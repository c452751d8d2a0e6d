using System.Globalization;
using System.Text.Json;
using FluentValidation;
using JobGateway.Core.AccountTasks;
using JobGateway.Rest.Http;
using Microsoft.AspNetCore.Mvc;

namespace JobGateway.Rest.AccountTasks;

/// <summary>Seed 002's rules for an AccountTaskRequest, whatever format it came in.</summary>
public sealed class AccountTaskRequestValidator : AbstractValidator<AccountTaskRequest>
{
    public const string JsonParameters = "application/json";
    public const string XmlParameters = "application/xml";
    public const int MaxNameLength = 1024;

    public AccountTaskRequestValidator()
    {
        RuleFor(r => r.TaskID).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("TaskID is required.")
            .Must(id => Guid.TryParse(id, out var guid) && guid != Guid.Empty).WithMessage("TaskID must be a non-empty GUID.")
            .OverridePropertyName(nameof(AccountTaskRequest.TaskID));
        RuleFor(r => r.Frequency).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Frequency is required.")
            .Must(f => TwoSmsWire.TryParseFrequency(f, out _))
            .WithMessage($"Frequency must be one of {TwoSmsWire.Describe<TaskFrequency>(TwoSmsWire.ToName)}.")
            .OverridePropertyName(nameof(AccountTaskRequest.Frequency));
        RuleFor(r => r.Notification)
            .Must(n => string.IsNullOrEmpty(n) || TwoSmsWire.TryParseNotification(n, out _))
            .WithMessage($"Notification must be one of {TwoSmsWire.Describe<TaskNotification>(TwoSmsWire.ToName)}.")
            .OverridePropertyName(nameof(AccountTaskRequest.Notification));
        RuleFor(r => r.StartDate).Must(BeDate).WithMessage("StartDate must be an ISO 8601 date-time.")
            .OverridePropertyName(nameof(AccountTaskRequest.StartDate));
        RuleFor(r => r.FinishDate).Must(BeDate).WithMessage("FinishDate must be an ISO 8601 date-time.")
            .OverridePropertyName(nameof(AccountTaskRequest.FinishDate));
        RuleFor(r => r)
            .Must(r => ParseDate(r.StartDate) is not { } start || ParseDate(r.FinishDate) is not { } finish || finish > start)
            .WithMessage("FinishDate must be after StartDate.")
            .OverridePropertyName(nameof(AccountTaskRequest.FinishDate));
        RuleFor(r => r.ContentType).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("ContentType is required.")
            .Must(c => NormalizeContentType(c) is not null).WithMessage($"ContentType must be {XmlParameters} or {JsonParameters}.")
            .OverridePropertyName(nameof(AccountTaskRequest.ContentType));
        RuleFor(r => r.Parameters).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Parameters is required.")
            .Must((r, parameters) => NormalizeContentType(r.ContentType) switch
            {
                JsonParameters => IsJson(parameters!),
                XmlParameters => AccountTaskRequestReader.IsWellFormedXml(parameters!),
                // The ContentType rule reports the real problem.
                _ => true,
            })
            .WithMessage(r => $"Parameters must be well-formed {(NormalizeContentType(r.ContentType) == XmlParameters ? "XML" : "JSON")}, as ContentType says.")
            .OverridePropertyName(nameof(AccountTaskRequest.Parameters));
        RuleFor(r => r.Name).MaximumLength(MaxNameLength).WithMessage($"Name must be at most {MaxNameLength} characters.")
            .Must(StoredText.IsStorable).WithMessage("Name must not contain NUL characters (U+0000).")
            .OverridePropertyName(nameof(AccountTaskRequest.Name));
    }

    /// <summary>The request as Core's spec; call only after validation passed.</summary>
    internal static AccountTaskSpec ToSpec(AccountTaskRequest request)
    {
        var frequency = TwoSmsWire.TryParseFrequency(request.Frequency, out var f) ? f : throw new InvalidOperationException("The request was not validated.");

        // Notification is optional: absent means NONE.
        var notification = TwoSmsWire.TryParseNotification(request.Notification, out var n) ? n : TaskNotification.None;
        return new AccountTaskSpec(
            Guid.Parse(request.TaskID!),
            frequency,
            ParseDate(request.StartDate),
            ParseDate(request.FinishDate),
            request.Parameters!,
            NormalizeContentType(request.ContentType)!,
            notification,
            string.IsNullOrEmpty(request.Name) ? null : request.Name);
    }

    internal static string? NormalizeContentType(string? contentType) => contentType?.Trim().ToLowerInvariant() switch
    {
        JsonParameters => JsonParameters,
        XmlParameters => XmlParameters,
        _ => null,
    };

    private static bool BeDate(string? text) => string.IsNullOrEmpty(text) || ParseDate(text) is not null;

    private static DateTimeOffset? ParseDate(string? text) =>
        !string.IsNullOrEmpty(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date
            : null;

    private static bool IsJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

/// <summary>Paging of the task list, as sent.</summary>
public sealed class AccountTaskListQuery
{
    public const int MaxLimit = 100;

    /// <summary>How many tasks to skip (default 0).</summary>
    [FromQuery(Name = "offset")]
    public string? Offset { get; set; }

    /// <summary>Tasks per page, 1 to 100 (default 100).</summary>
    [FromQuery(Name = "limit")]
    public string? Limit { get; set; }

    internal int OffsetValue => string.IsNullOrEmpty(Offset) ? 0 : int.Parse(Offset, NumberStyles.None, CultureInfo.InvariantCulture);

    internal int LimitValue => string.IsNullOrEmpty(Limit) ? MaxLimit : int.Parse(Limit, NumberStyles.None, CultureInfo.InvariantCulture);
}

public sealed class AccountTaskListQueryValidator : AbstractValidator<AccountTaskListQuery>
{
    public AccountTaskListQueryValidator()
    {
        RuleFor(q => q.Offset)
            .Must(o => string.IsNullOrEmpty(o) || int.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .WithMessage("offset must be an integer of at least 0.")
            .OverridePropertyName("offset");
        RuleFor(q => q.Limit)
            .Must(l => string.IsNullOrEmpty(l) || (int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= AccountTaskListQuery.MaxLimit))
            .WithMessage($"limit must be an integer from 1 to {AccountTaskListQuery.MaxLimit}.")
            .OverridePropertyName("limit");
    }
}
