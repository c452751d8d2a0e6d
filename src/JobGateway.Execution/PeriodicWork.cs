using Microsoft.Extensions.Logging;

namespace JobGateway.Execution;

/// <summary>The shape of every background loop: do the work, then wait on the injected clock.</summary>
internal static partial class PeriodicWork
{
    public static async Task RunAsync(string name, TimeSpan interval, TimeProvider time, ILogger logger, Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await work(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // One bad round (a database hiccup) must not stop the loop for the life of the process.
                LogRoundFailed(logger, ex, name);
            }

            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Background loop {Loop} failed a round; it goes on")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception, string loop);
}
