using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JobGateway.Core.AccountTasks;
using JobGateway.Core.Jobs;
using JobGateway.Core.Notifications;
using JobGateway.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobGateway.Execution.Webhooks;

/// <summary>
/// Reads the outbox (status changes written with the jobs themselves), keeps each account task's last-run
/// status up to date, and delivers the changes clients asked for as signed webhooks, retrying with back-off.
/// Delivery is at-least-once: receivers deduplicate on the <c>id</c> of the event.
/// </summary>
/// <remarks>
/// Signature: <c>X-JobGateway-Signature: t=UNIX_SECONDS,v1=HEX</c> where HEX is HMAC-SHA256 with the client's
/// webhook secret over <c>"{t}.{body}"</c> (the timestamp guards against replays).
/// </remarks>
public sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes,
    IHttpClientFactory httpClients,
    IOptions<ExecutionOptions> options,
    TimeProvider time,
    GatewayTelemetry telemetry,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";
    public const string SignatureHeader = "X-JobGateway-Signature";
    public const string EventIdHeader = "X-JobGateway-Event-Id";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // The clients whose webhooks are being delivered now, and those deliveries. A client's events go out in order, one
    // at a time; different clients' go out side by side, so a receiver that hangs until the timeout delays only its own.
    private readonly ConcurrentDictionary<Guid, byte> _busyClients = new();
    private readonly ConcurrentDictionary<Task, byte> _lanes = new();

    /// <summary>
    /// One round over the due outbox rows: starts a delivery lane for each client with due events and none in flight,
    /// and returns once those lanes are done with how many events they handled.
    /// </summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        var lanes = await StartLanesAsync(cancellationToken);
        return (await Task.WhenAll(lanes)).Sum();
    }

    // Lists the due events of the clients that are not busy, and starts one lane per client; the lanes run on their own.
    private async Task<IReadOnlyList<Task<int>>> StartLanesAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<JobEvent> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<INotificationStore>()
                .ListDueAsync(time.GetUtcNow(), 50, [.. _busyClients.Keys], cancellationToken);
        }

        var started = new List<Task<int>>();
        foreach (var client in due.GroupBy(e => e.ClientId))
        {
            if (!_busyClients.TryAdd(client.Key, 0))
            {
                continue;
            }

            var lane = RunLaneAsync(client.Key, [.. client], cancellationToken);
            _lanes[lane] = 0;
            _ = lane.ContinueWith(static (t, lanes) => ((ConcurrentDictionary<Task, byte>)lanes!).TryRemove(t, out _), _lanes,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            started.Add(lane);
        }

        return started;
    }

    // Delivers one client's due events in order, each saved as soon as it is handled; never throws.
    private async Task<int> RunLaneAsync(Guid clientId, List<JobEvent> events, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var handled = 0;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<INotificationStore>();
            var tasks = scope.ServiceProvider.GetRequiredService<IAccountTaskScheduleStore>();
            foreach (var jobEvent in events)
            {
                if (jobEvent.Attempts == 0 && jobEvent.JobType == AccountTask.JobType && Guid.TryParse(jobEvent.ExternalRef, out var taskId))
                {
                    await tasks.RecordRunStatusAsync(jobEvent.ClientId, taskId, jobEvent.JobId, jobEvent.ToStatus, cancellationToken);
                }

                var target = await store.GetTargetAsync(jobEvent, cancellationToken);
                if (target is null || !Wants(target.Notification, jobEvent.ToStatus))
                {
                    jobEvent.MarkNotRequired();
                }
                else
                {
                    await DeliverAsync(jobEvent, target, cancellationToken);
                }

                await store.SaveAsync(jobEvent, cancellationToken);
                telemetry.WebhookDelivered(jobEvent.State);
                handled++;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: what was not saved is still due, and goes out after the next start.
        }
        catch (Exception ex)
        {
            // A database hiccup: the events not saved are still due, and the next round takes them again.
            LogLaneFailed(logger, ex, clientId);
        }
        finally
        {
            _busyClients.TryRemove(clientId, out _);
        }

        return handled;
    }

    /// <summary>Whether a preference asks for a change into <paramref name="status"/>. Only finished runs are notified.</summary>
    public static bool Wants(TaskNotification notification, JobStatus status) => notification switch
    {
        TaskNotification.None => false,
        TaskNotification.OnSuccess => status == JobStatus.Succeeded,
        TaskNotification.OnFailure => status == JobStatus.Failed,
        TaskNotification.Always => JobTransitions.IsTerminal(status),
        _ => throw new ArgumentOutOfRangeException(nameof(notification), notification, null),
    };

    /// <summary>The signature header value of <paramref name="body"/> at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{timestamp}.{body}")));
        return string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1={Convert.ToHexString(mac).ToLowerInvariant()}");
    }

    /// <summary>
    /// Each round starts lanes for the clients that are not busy and goes on without waiting for them, so a new event of
    /// one client never waits for another client's slow receiver. At shutdown the lanes in flight are waited for.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunBackgroundServices)
        {
            return;
        }

        await PeriodicWork.RunAsync(nameof(WebhookDispatcher), TimeSpan.FromSeconds(options.Value.WebhookPollSeconds), time, logger, StartLanesAsync, stoppingToken);
        await Task.WhenAll(_lanes.Keys);
    }

    private async Task DeliverAsync(JobEvent jobEvent, WebhookTarget target, CancellationToken cancellationToken)
    {
        var settings = options.Value.Webhooks;
        var body = JsonSerializer.Serialize(new
        {
            id = jobEvent.Id,
            type = "job.status_changed",
            occurredAt = jobEvent.OccurredAt,
            data = new
            {
                jobId = jobEvent.JobId,
                number = jobEvent.JobNumber,
                jobType = jobEvent.JobType,
                externalRef = jobEvent.ExternalRef,
                // The native API's words: the canonical names in lower case.
                status = jobEvent.ToStatus.ToString().ToLowerInvariant(),
                previousStatus = jobEvent.FromStatus.ToString().ToLowerInvariant(),
                taskId = target.TaskId,
            },
        }, Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(SignatureHeader, Sign(target.Secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
        request.Headers.Add(EventIdHeader, jobEvent.Id.ToString(CultureInfo.InvariantCulture));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("JobGateway-Webhooks", "1.0"));

        string? failure;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            failure = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException ex)
        {
            failure = ex.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            failure = "timed out";
        }

        var now = time.GetUtcNow();
        if (failure is null)
        {
            jobEvent.MarkDelivered(target.Url, now);
            return;
        }

        var attempts = jobEvent.Attempts + 1;
        DateTimeOffset? retryAt = attempts >= settings.MaxAttempts
            ? null
            : now + TimeSpan.FromSeconds(settings.RetryBaseSeconds * Math.Pow(2, attempts - 1));
        jobEvent.MarkAttemptFailed(target.Url, failure, retryAt);
        LogDeliveryFailed(logger, jobEvent.Id, target.Url, failure, attempts);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering the webhooks of client {ClientId} failed; the events left are tried again next round")]
    private static partial void LogLaneFailed(ILogger logger, Exception exception, Guid clientId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {EventId} to {Url} failed ({Failure}), attempt {Attempt}")]
    private static partial void LogDeliveryFailed(ILogger logger, long eventId, string url, string failure, int attempt);
}
