using System.Globalization;
using JobGateway.Core.AccountTasks;
using JobGateway.Core.Jobs;

namespace JobGateway.Rest.AccountTasks;

/// <summary>
/// The 2sms words for Core's enums. Only <c>NONE</c> was published; the other names and their numbers are
/// the gateway's (README, "Account tasks"). Read as a name (any case) or a number, always written as a name.
/// </summary>
public static class TwoSmsWire
{
    public static string ToName(TaskFrequency frequency) => frequency switch
    {
        TaskFrequency.None => "NONE",
        TaskFrequency.Hourly => "HOURLY",
        TaskFrequency.Daily => "DAILY",
        TaskFrequency.Weekly => "WEEKLY",
        TaskFrequency.Monthly => "MONTHLY",
        _ => throw new ArgumentOutOfRangeException(nameof(frequency), frequency, null),
    };

    public static string ToName(TaskNotification notification) => notification switch
    {
        TaskNotification.None => "NONE",
        TaskNotification.OnSuccess => "ON_SUCCESS",
        TaskNotification.OnFailure => "ON_FAILURE",
        TaskNotification.Always => "ALWAYS",
        _ => throw new ArgumentOutOfRangeException(nameof(notification), notification, null),
    };

    public static bool TryParseFrequency(string? text, out TaskFrequency frequency) => TryParse(text, ToName, out frequency);

    public static bool TryParseNotification(string? text, out TaskNotification notification) => TryParse(text, ToName, out notification);

    /// <summary>The names, with their numbers, for messages and documentation.</summary>
    public static string Describe<T>(Func<T, string> toName)
        where T : struct, Enum =>
        string.Join(", ", Enum.GetValues<T>().Select(v => string.Create(CultureInfo.InvariantCulture, $"{toName(v)} ({Convert.ToInt32(v, CultureInfo.InvariantCulture)})")));

    private static bool TryParse<T>(string? text, Func<T, string> toName, out T value)
        where T : struct, Enum
    {
        value = default;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return false;
        }

        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(toName(candidate), trimmed, StringComparison.OrdinalIgnoreCase)
                || (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number == Convert.ToInt32(candidate, CultureInfo.InvariantCulture)))
            {
                value = candidate;
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// A task's <c>Status</c>: the words of its last run (DESIGN.md), <c>Scheduled</c> before any run, and
/// <c>Disabled</c> for a disabled task whose last run is over (a run still queued or running is shown as
/// such, since disabling does not stop it).
/// </summary>
public static class TaskStatusWords
{
    public const string Disabled = "Disabled";

    public static string ToWord(JobStatus status) => status switch
    {
        JobStatus.Pending => "Scheduled",
        JobStatus.Running => "Running",
        JobStatus.Succeeded => "Completed",
        JobStatus.Failed => "Failed",
        JobStatus.Cancelled => "Cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>The status of <paramref name="task"/> whose last run is in <paramref name="lastRun"/> (null: never ran).</summary>
    public static string Of(AccountTask task, JobStatus? lastRun)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (lastRun is JobStatus.Pending or JobStatus.Running)
        {
            return ToWord(lastRun.Value);
        }

        if (!task.Enabled)
        {
            return Disabled;
        }

        return ToWord(lastRun ?? JobStatus.Pending);
    }
}
