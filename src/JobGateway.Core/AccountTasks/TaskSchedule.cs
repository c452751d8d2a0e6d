namespace JobGateway.Core.AccountTasks;

/// <summary>
/// When a recurring task is due. Occurrences are anchored at the start date (or the creation date when
/// there is none) and stepped by the frequency; months step by calendar month from the anchor, so a task
/// anchored on the 31st runs on the last day of shorter months. The finish date is exclusive.
/// </summary>
public static class TaskSchedule
{
    /// <summary>
    /// The latest occurrence at or before <paramref name="now"/> that is after <paramref name="after"/>
    /// (the last occurrence already fired, if any), or null when nothing is due. Older missed occurrences are
    /// skipped: after downtime a task runs once for the latest missed occurrence, not once per missed one.
    /// </summary>
    public static DateTimeOffset? DueOccurrence(TaskFrequency frequency, DateTimeOffset anchor, DateTimeOffset? finish, DateTimeOffset? after, DateTimeOffset now)
    {
        // The finish date is exclusive: nothing at or after it is ever due.
        var limit = finish is { } end && end <= now ? end.AddTicks(-1) : now;
        if (anchor > limit)
        {
            return null;
        }

        var latest = Occurrence(frequency, anchor, IndexAtOrBefore(frequency, anchor, limit));
        return after is { } fired && latest <= fired ? null : latest;
    }

    /// <summary>The first occurrence after <paramref name="occurrence"/>, or null when the series has ended.</summary>
    public static DateTimeOffset? NextAfter(TaskFrequency frequency, DateTimeOffset anchor, DateTimeOffset? finish, DateTimeOffset occurrence)
    {
        if (frequency == TaskFrequency.None)
        {
            return occurrence < anchor && (finish is null || anchor < finish) ? anchor : null;
        }

        var index = occurrence < anchor ? 0 : IndexAtOrBefore(frequency, anchor, occurrence) + 1;
        var next = Occurrence(frequency, anchor, index);
        return finish is { } end && next >= end ? null : next;
    }

    private static DateTimeOffset Occurrence(TaskFrequency frequency, DateTimeOffset anchor, long index) => frequency switch
    {
        TaskFrequency.Hourly => anchor.AddHours(index),
        TaskFrequency.Daily => anchor.AddDays(index),
        TaskFrequency.Weekly => anchor.AddDays(7 * index),
        TaskFrequency.Monthly => anchor.AddMonths((int)index),
        TaskFrequency.None => anchor,
        _ => throw new ArgumentOutOfRangeException(nameof(frequency), frequency, null),
    };

    private static long IndexAtOrBefore(TaskFrequency frequency, DateTimeOffset anchor, DateTimeOffset when)
    {
        var index = frequency switch
        {
            TaskFrequency.Hourly => (long)Math.Floor((when - anchor).TotalHours),
            TaskFrequency.Daily => (long)Math.Floor((when - anchor).TotalDays),
            TaskFrequency.Weekly => (long)Math.Floor((when - anchor).TotalDays / 7),
            TaskFrequency.Monthly => ((when.Year - anchor.Year) * 12L) + when.Month - anchor.Month,
            TaskFrequency.None => 0,
            _ => throw new ArgumentOutOfRangeException(nameof(frequency), frequency, null),
        };

        // Calendar months are uneven: step back while the estimate overshoots.
        while (index > 0 && Occurrence(frequency, anchor, index) > when)
        {
            index--;
        }

        return Math.Max(index, 0);
    }
}
