namespace JobGateway.Core.Clients;

/// <summary>A tenant. Jobs, tasks and keys belong to exactly one client.</summary>
public sealed class Client
{
    private Client()
    {
        Name = string.Empty;
    }

    /// <summary>Identifier (2sms <c>ClientID</c>).</summary>
    public Guid Id { get; private set; }

    /// <summary>Display name, unique.</summary>
    public string Name { get; private set; }

    /// <summary>A disabled client's keys are refused everywhere.</summary>
    public bool Enabled { get; private set; }

    /// <summary>When the client was created (UTC).</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Where status-change webhooks of this client's jobs go; null: none.</summary>
    public string? WebhookUrl { get; private set; }

    /// <summary>
    /// The HMAC-SHA256 key webhooks are signed with. Unlike API keys it cannot be stored hashed: the gateway
    /// needs it to sign every delivery.
    /// </summary>
    public string? WebhookSecret { get; private set; }

    /// <summary>Which finished runs are notified (account tasks may ask for their own).</summary>
    public AccountTasks.TaskNotification WebhookNotification { get; private set; }

    /// <summary>This client's own creates per second; null: the configured default.</summary>
    public int? CreatesPerSecond { get; private set; }

    /// <summary>This client's own burst of creates; null: the configured default.</summary>
    public int? CreateBurst { get; private set; }

    /// <summary>This client's own cap on Pending jobs; null: the configured default.</summary>
    public int? MaxPendingJobs { get; private set; }

    /// <summary>The client's own limits (null members: the configured defaults).</summary>
    public ClientLimits Limits => new(CreatesPerSecond, CreateBurst, MaxPendingJobs);

    /// <summary>Creates an enabled client.</summary>
    public static Client Create(string name, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Client { Id = Guid.CreateVersion7(now), Name = name.Trim(), Enabled = true, CreatedAt = now };
    }

    /// <summary>Sets (or with a null URL removes) the webhook; a new signing secret is generated when none exists.</summary>
    public string? SetWebhook(Uri? url, AccountTasks.TaskNotification notification)
    {
        if (url is null)
        {
            WebhookUrl = null;
            WebhookSecret = null;
            WebhookNotification = AccountTasks.TaskNotification.None;
            return null;
        }

        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new DomainException("invalid_webhook_url", "The webhook URL must be an absolute http or https URL.");
        }

        WebhookUrl = url.AbsoluteUri;
        WebhookNotification = notification;
        WebhookSecret ??= "whsec_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        return WebhookSecret;
    }

    /// <summary>Sets the client's own limits; a null member goes back to the configured default.</summary>
    public void SetLimits(ClientLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        CreatesPerSecond = limits.CreatesPerSecond;
        CreateBurst = limits.CreateBurst;
        MaxPendingJobs = limits.MaxPendingJobs;
    }

    /// <summary>Enables or disables the client.</summary>
    public void SetEnabled(bool enabled) => Enabled = enabled;
}
