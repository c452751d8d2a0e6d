using JobGateway.Core.AccountTasks;
using JobGateway.Core.Jobs;

namespace JobGateway.Core.Tests.AccountTasks;

public sealed class NextOccurrenceTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Hourly_IsTheDueOccurrenceUntilItFires_ThenTheNextHour()
    {
        var task = Task(TaskFrequency.Hourly);
        var now = Start.AddMinutes(30);

        Assert.Equal(Start, task.NextOccurrence(now));
        task.RecordScheduledRun(Guid.NewGuid(), Start, now);
        Assert.Equal(Start.AddHours(1), task.NextOccurrence(now));
    }

    [Fact]
    public void Once_IsItsStart_UntilItFires()
    {
        var task = Task(TaskFrequency.None);

        Assert.Equal(Start, task.NextOccurrence(Start.AddDays(-1)));
        task.RecordScheduledRun(Guid.NewGuid(), Start, Start);
        Assert.Null(task.NextOccurrence(Start.AddMinutes(1)));
    }

    [Fact]
    public void Disabled_OrFinished_HasNone()
    {
        var disabled = Task(TaskFrequency.Daily);
        disabled.SetEnabled(false, "ops", Start);
        var finished = Task(TaskFrequency.Daily, finish: Start.AddDays(2));
        finished.RecordScheduledRun(Guid.NewGuid(), Start.AddDays(1), Start.AddDays(1));

        Assert.Null(disabled.NextOccurrence(Start.AddHours(1)));
        Assert.Null(finished.NextOccurrence(Start.AddDays(1).AddHours(1)));
    }

    [Fact]
    public void RunsByHand_AndScheduledRuns_NameTheirSurface()
    {
        var task = Task(TaskFrequency.Daily);

        Assert.Equal(JobSurface.AccountTask, task.NewRun(null).Surface);
        Assert.Equal(JobSurface.Scheduler, task.NewRun(Start).Surface);
    }

    private static AccountTask Task(TaskFrequency frequency, DateTimeOffset? finish = null) =>
        AccountTask.Create(
            Guid.NewGuid(),
            new AccountTaskSpec(Guid.NewGuid(), frequency, Start, finish, "{}", "application/json", TaskNotification.None),
            "tester",
            Start.AddDays(-2));
}
