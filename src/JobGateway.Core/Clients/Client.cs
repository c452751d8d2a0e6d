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

    /// <summary>Creates an enabled client.</summary>
    public static Client Create(string name, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Client { Id = Guid.CreateVersion7(now), Name = name.Trim(), Enabled = true, CreatedAt = now };
    }

    /// <summary>Enables or disables the client.</summary>
    public void SetEnabled(bool enabled) => Enabled = enabled;
}
