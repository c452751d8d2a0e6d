using JobGateway.Core;
using JobGateway.Core.Jobs;

namespace JobGateway.Core.Tests.Jobs;

public sealed class JobTransitionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Worker = "worker-1";

    private static readonly HashSet<(JobStatus, JobStatus)> Legal =
    [
        (JobStatus.Pending, JobStatus.Running),
        (JobStatus.Running, JobStatus.Succeeded),
        (JobStatus.Running, JobStatus.Failed),
        (JobStatus.Pending, JobStatus.Cancelled),
        (JobStatus.Running, JobStatus.Cancelled),
        (JobStatus.Running, JobStatus.Pending),
    ];

    public static TheoryData<JobStatus, JobStatus> AllPairs()
    {
        var data = new TheoryData<JobStatus, JobStatus>();
        foreach (var from in Enum.GetValues<JobStatus>())
        {
            foreach (var to in Enum.GetValues<JobStatus>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Table_AllowsExactlyTheDesignedMoves(JobStatus from, JobStatus to) =>
        Assert.Equal(Legal.Contains((from, to)), JobTransitions.IsAllowed(from, to));

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void DomainMethods_MoveExactlyAlongTheTable(JobStatus from, JobStatus to)
    {
        var job = InStatus(from);

        var moved = TryMove(job, to);

        Assert.Equal(Legal.Contains((from, to)), moved);
        Assert.Equal(moved ? to : from, job.Status);
    }

    [Theory]
    [InlineData(JobStatus.Succeeded)]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Cancelled)]
    public void TerminalStatuses_AreTerminal(JobStatus status) => Assert.True(JobTransitions.IsTerminal(status));

    [Theory]
    [InlineData(JobStatus.Pending, false)]
    [InlineData(JobStatus.Running, false)]
    [InlineData(JobStatus.Succeeded, false)]
    [InlineData(JobStatus.Failed, true)]
    [InlineData(JobStatus.Cancelled, true)]
    public void Requeue_IsAllowedExactlyFromFailedAndCancelled(JobStatus from, bool allowed)
    {
        var job = InStatus(from);

        Assert.Equal(allowed, job.IsRequeueable);
        if (allowed)
        {
            job.Requeue(Now.AddMinutes(1));
            Assert.Equal(JobStatus.Pending, job.Status);
        }
        else
        {
            var error = Assert.Throws<IllegalTransitionException>(() => job.Requeue(Now.AddMinutes(1)));
            Assert.Equal((from, JobStatus.Pending), (error.From, error.To));
            Assert.Equal(from, job.Status);
        }
    }

    [Fact]
    public void Requeue_KeepsTheAttemptsCounted_AndTheNextClaimIsANewAttempt()
    {
        var job = Running();
        job.Fail(Worker, new JobError("boom", "it broke"), Now.AddSeconds(5));
        job.AcceptStatusChanges();

        job.Requeue(Now.AddMinutes(1));

        Assert.Equal((JobStatus.Pending, 1, 0), (job.Status, job.Attempts, job.Progress));
        Assert.Null(job.FinishedAt);
        Assert.Equal(Now.AddMinutes(1), job.RunAfter);
        Assert.False(job.IsFinished);
        Assert.Equal("boom", job.Error?.Code);
        Assert.Equal([new JobStatusChange(JobStatus.Failed, JobStatus.Pending, Now.AddMinutes(1))], job.StatusChanges);
        job.Start(Worker, Now.AddMinutes(7), Now.AddMinutes(2));
        Assert.Equal(2, job.Attempts);

        // The requeue is an operator's move only: the statuses it leaves stay terminal for everyone else.
        Assert.True(JobTransitions.IsTerminal(JobStatus.Failed));
        Assert.True(JobTransitions.IsTerminal(JobStatus.Cancelled));
        Assert.DoesNotContain(JobTransitions.All, t => t.To == JobStatus.Pending && t.From != JobStatus.Running);
    }

    [Theory]
    [InlineData(JobStatus.Pending, true, true)]
    [InlineData(JobStatus.Running, true, false)]
    [InlineData(JobStatus.Succeeded, false, true)]
    [InlineData(JobStatus.Failed, false, true)]
    [InlineData(JobStatus.Cancelled, false, true)]
    public void Cancellable_AndDeletable_FollowTheRules(JobStatus status, bool cancellable, bool deletable)
    {
        var job = InStatus(status);

        Assert.Equal((cancellable, deletable), (job.IsCancellable, job.IsDeletable));
    }

    [Fact]
    public void Surfaces_HaveOneNameEach_ThatParsesBack()
    {
        var names = JobSurfaces.All.Select(JobSurfaces.Name).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(JobSurfaces.All, s => Assert.Equal(s, JobSurfaces.Parse(JobSurfaces.Name(s).ToUpperInvariant())));
        Assert.Null(JobSurfaces.Parse("fax"));
    }

    [Fact]
    public void Create_IsPendingWithTimestampsAndNoAttempts()
    {
        var job = NewJob();

        Assert.Equal(JobStatus.Pending, job.Status);
        Assert.Equal(0, job.Attempts);
        Assert.Equal(Now, job.CreatedAt);
        Assert.Equal(Now, job.UpdatedAt);
        Assert.Null(job.StartedAt);
        Assert.False(job.IsFinished);
    }

    [Fact]
    public void Start_CountsAnAttemptAndTakesTheLease()
    {
        var job = NewJob();

        job.Start(Worker, Now.AddMinutes(5), Now.AddSeconds(1));

        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Equal(1, job.Attempts);
        Assert.Equal(Worker, job.LeaseOwner);
        Assert.Equal(Now.AddMinutes(5), job.LeaseExpiresAt);
        Assert.Equal(Now.AddSeconds(1), job.StartedAt);
    }

    [Fact]
    public void Succeed_Throws_WhenJobIsPending()
    {
        var job = NewJob();

        var error = Assert.Throws<DomainException>(() => job.Succeed(Worker, null, Now));

        Assert.Equal("lease_lost", error.Code);
        Assert.Equal(JobStatus.Pending, job.Status);
    }

    [Fact]
    public void Start_Throws_IllegalTransition_WhenJobIsFinished()
    {
        var job = Running();
        job.Succeed(Worker, null, Now);

        var error = Assert.Throws<IllegalTransitionException>(() => job.Start(Worker, Now.AddMinutes(5), Now));

        Assert.Equal(JobStatus.Succeeded, error.From);
        Assert.Equal(JobStatus.Running, error.To);
    }

    [Fact]
    public void Succeed_Throws_WhenAnotherWorkerHoldsTheLease()
    {
        var job = Running();

        var error = Assert.Throws<DomainException>(() => job.Succeed("someone-else", "{}", Now));

        Assert.Equal("lease_lost", error.Code);
        Assert.Equal(JobStatus.Running, job.Status);
    }

    [Fact]
    public void Succeed_Throws_WhenTheLeaseHasExpired()
    {
        var job = Running();

        var error = Assert.Throws<DomainException>(() => job.Succeed(Worker, "{}", Now.AddMinutes(10)));

        Assert.Equal("lease_lost", error.Code);
    }

    [Fact]
    public void Succeed_RecordsReportAndFinishes()
    {
        var job = Running();

        job.Succeed(Worker, """{"total":3}""", Now.AddMinutes(1));

        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal("""{"total":3}""", job.Report);
        Assert.Equal(100, job.Progress);
        Assert.Equal(Now.AddMinutes(1), job.FinishedAt);
        Assert.Null(job.LeaseOwner);
        Assert.True(job.IsFinished);
    }

    [Fact]
    public void Retry_GoesBackToPendingWithBackOffAndKeepsTheError()
    {
        var job = Running();

        job.Retry(Worker, new JobError("timeout", "upstream timed out"), Now.AddMinutes(2), Now.AddMinutes(1));

        Assert.Equal(JobStatus.Pending, job.Status);
        Assert.Equal(Now.AddMinutes(2), job.RunAfter);
        Assert.Equal("timeout", job.Error?.Code);
        Assert.Equal(1, job.Attempts);
        Assert.Null(job.LeaseOwner);
    }

    [Fact]
    public void ExpireLease_Throws_WhileTheLeaseIsValid()
    {
        var job = Running();

        Assert.Throws<DomainException>(() => job.ExpireLease(retry: true, Now.AddMinutes(1)));
        Assert.Equal(JobStatus.Running, job.Status);
    }

    [Fact]
    public void ExpireLease_AfterItRanOut_ReturnsToPendingOrFails()
    {
        var retried = Running();
        var failed = Running();

        retried.ExpireLease(retry: true, Now.AddMinutes(5));
        failed.ExpireLease(retry: false, Now.AddMinutes(5));

        Assert.Equal(JobStatus.Pending, retried.Status);
        Assert.Equal(1, retried.Attempts);
        Assert.Null(retried.LeaseOwner);
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal("lease_expired", failed.Error?.Code);
        Assert.Equal(Now.AddMinutes(5), failed.FinishedAt);
    }

    [Fact]
    public void StatusChanges_RecordEveryMoveUntilAccepted()
    {
        var job = Running();
        job.Succeed(Worker, null, Now.AddSeconds(2));

        Assert.Equal(
            [new JobStatusChange(JobStatus.Pending, JobStatus.Running, Now), new JobStatusChange(JobStatus.Running, JobStatus.Succeeded, Now.AddSeconds(2))],
            job.StatusChanges);
        job.AcceptStatusChanges();
        Assert.Empty(job.StatusChanges);
    }

    [Fact]
    public void Release_DoesNotCountTheAttempt()
    {
        var job = Running();

        job.Release(Worker, Now.AddSeconds(5));

        Assert.Equal(JobStatus.Pending, job.Status);
        Assert.Equal(0, job.Attempts);
    }

    [Fact]
    public void RequestCancellation_OfRunningJob_OnlyFlagsIt()
    {
        var job = Running();

        var cancelled = job.RequestCancellation(Now.AddSeconds(1));

        Assert.False(cancelled);
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.True(job.CancellationRequested);
    }

    [Fact]
    public void Heartbeat_RejectsProgressOutOfRange()
    {
        var job = Running();

        var error = Assert.Throws<DomainException>(() => job.Heartbeat(Worker, Now.AddMinutes(6), 101, Now.AddSeconds(1)));

        Assert.Equal("invalid_progress", error.Code);
    }

    [Fact]
    public void EnsureDeletable_Throws_WhileRunning()
    {
        Assert.Throws<DomainException>(() => Running().EnsureDeletable());
        NewJob().EnsureDeletable();
    }

    [Fact]
    public void EveryChange_BumpsTheConcurrencyToken()
    {
        var job = NewJob();
        var before = job.Version;

        job.Start(Worker, Now.AddMinutes(5), Now);
        var afterStart = job.Version;
        job.Heartbeat(Worker, Now.AddMinutes(6), 50, Now.AddSeconds(1));

        Assert.True(afterStart > before);
        Assert.True(job.Version > afterStart);
    }

    [Fact]
    public void Fingerprint_DiffersWhenAnyFieldDiffers()
    {
        var client = Guid.NewGuid();
        var a = new NewJob(client, "t", "n", "{}", "r", "k");

        Assert.Equal(a.Fingerprint(), (a with { IdempotencyKey = "other" }).Fingerprint());
        Assert.NotEqual(a.Fingerprint(), (a with { Type = "u" }).Fingerprint());
        Assert.NotEqual(a.Fingerprint(), (a with { Name = null }).Fingerprint());
        Assert.NotEqual(a.Fingerprint(), (a with { Payload = "[]" }).Fingerprint());
        Assert.NotEqual(a.Fingerprint(), (a with { ExternalRef = "s" }).Fingerprint());
    }

    private static Job NewJob() => Job.Create(new NewJob(Guid.NewGuid(), "billing-run"), Now);

    private static Job Running()
    {
        var job = NewJob();
        job.Start(Worker, Now.AddMinutes(5), Now);
        return job;
    }

    private static Job InStatus(JobStatus status)
    {
        var job = NewJob();
        switch (status)
        {
            case JobStatus.Pending:
                break;
            case JobStatus.Running:
                job.Start(Worker, Now.AddMinutes(5), Now);
                break;
            case JobStatus.Succeeded:
                job.Start(Worker, Now.AddMinutes(5), Now);
                job.Succeed(Worker, null, Now);
                break;
            case JobStatus.Failed:
                job.Start(Worker, Now.AddMinutes(5), Now);
                job.Fail(Worker, new JobError("e", "m"), Now);
                break;
            case JobStatus.Cancelled:
                job.RequestCancellation(Now);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status));
        }

        Assert.Equal(status, job.Status);
        return job;
    }

    // Drives the domain method that leads to <paramref name="to"/>; false when the domain refuses.
    private static bool TryMove(Job job, JobStatus to)
    {
        try
        {
            switch (to)
            {
                case JobStatus.Pending:
                    job.Retry(Worker, new JobError("e", "m"), Now, Now);
                    break;
                case JobStatus.Running:
                    job.Start(Worker, Now.AddMinutes(5), Now);
                    break;
                case JobStatus.Succeeded:
                    job.Succeed(Worker, null, Now);
                    break;
                case JobStatus.Failed:
                    job.Fail(Worker, new JobError("e", "m"), Now);
                    break;
                case JobStatus.Cancelled:
                    if (job.Status == JobStatus.Running)
                    {
                        job.ConfirmCancelled(Worker, Now);
                    }
                    else
                    {
                        job.RequestCancellation(Now);
                    }

                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(to));
            }

            return true;
        }
        catch (DomainException)
        {
            return false;
        }
    }
}
