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

    /// <summary>One round over the due outbox rows; returns how many were handled.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<INotificationStore>();
        var tasks = scope.ServiceProvider.GetRequiredService<IAccountTaskScheduleStore>();
        var due = await store.ListDueAsync(time.GetUtcNow(), 50, cancellationToken);
        foreach (var jobEvent in due)
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
        }

        return due.Count;
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

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.RunBackgroundServices
            ? PeriodicWork.RunAsync(nameof(WebhookDispatcher), TimeSpan.FromSeconds(options.Value.WebhookPollSeconds), time, logger, DispatchOnceAsync, stoppingToken)
            : Task.CompletedTask;

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {EventId} to {Url} failed ({Failure}), attempt {Attempt}")]
    private static partial void LogDeliveryFailed(ILogger logger, long eventId, string url, string failure, int attempt);
}
