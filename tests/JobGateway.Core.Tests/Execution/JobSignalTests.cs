using JobGateway.Core.Execution;

namespace JobGateway.Core.Tests.Execution;

public sealed class JobSignalTests
{
    [Fact]
    public async Task AWaiterForSomeTypes_SleepsThroughPulsesOfOtherTypes_AndWakesForItsOwn()
    {
        var signal = new InProcessJobSignal();
        var wait = signal.WaitAsync(["noop", "report"], CancellationToken.None);

        signal.Pulse(["t2a", "billing-run"]);
        Assert.False(wait.IsCompleted);

        signal.Pulse(["t2a", "report"]);
        await wait.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AnUntypedPulse_WakesEveryWaiter_AndATypedPulseWakesTheUntypedWaiters()
    {
        var signal = new InProcessJobSignal();
        var typed = signal.WaitAsync(["noop"], CancellationToken.None);
        var any = signal.WaitAsync(CancellationToken.None);

        signal.Pulse(["t2a"]);
        await any.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(typed.IsCompleted);

        signal.Pulse();
        await typed.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void APulseBeforeTheWait_DoesNotCompleteIt()
    {
        var signal = new InProcessJobSignal();
        signal.Pulse(["noop"]);
        signal.Pulse();

        Assert.False(signal.WaitAsync(["noop"], CancellationToken.None).IsCompleted);
        Assert.False(signal.WaitAsync(CancellationToken.None).IsCompleted);
    }
}
