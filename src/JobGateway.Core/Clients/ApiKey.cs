using System.Security.Cryptography;
using System.Text;

namespace JobGateway.Core.Clients;

/// <summary>What a key may do.</summary>
[Flags]
public enum ApiKeyRoles
{
    /// <summary>No rights.</summary>
    None = 0,

    /// <summary>Manage clients and keys.</summary>
    Admin = 1,

    /// <summary>Create and read the client's own jobs and tasks.</summary>
    Client = 2,

    /// <summary>Fetch, lock and complete jobs over the worker API.</summary>
    Worker = 4,
}

/// <summary>
/// A credential of a client. Only a SHA-256 hash of the secret is stored: keys are 256-bit random values,
/// so a fast hash is enough (there is nothing to brute-force) and lookups stay one indexed read.
/// </summary>
public sealed class ApiKey
{
    private const string SecretPrefix = "jg_";

    private ApiKey()
    {
        Hash = string.Empty;
        Prefix = string.Empty;
    }

    /// <summary>Identifier, used to list and revoke the key.</summary>
    public Guid Id { get; private set; }

    /// <summary>The owning client.</summary>
    public Guid ClientId { get; private set; }

    /// <summary>An optional label.</summary>
    public string? Name { get; private set; }

    /// <summary>The first characters of the secret, to recognise a key in listings.</summary>
    public string Prefix { get; private set; }

    /// <summary>Hex SHA-256 of the secret.</summary>
    public string Hash { get; private set; }

    /// <summary>What the key may do.</summary>
    public ApiKeyRoles Roles { get; private set; }

    /// <summary>When the key was issued (UTC).</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the key was revoked, or null while it is valid.</summary>
    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>Whether the key is revoked.</summary>
    public bool IsRevoked => RevokedAt is not null;

    /// <summary>
    /// Issues a new key. The returned secret is shown to the caller once and never stored.
    /// <paramref name="secret"/> may be given (bootstrap from configuration); otherwise it is generated.
    /// </summary>
    public static (ApiKey Key, string Secret) Issue(Guid clientId, ApiKeyRoles roles, string? name, DateTimeOffset now, string? secret = null)
    {
        if (roles == ApiKeyRoles.None)
        {
            throw new DomainException("invalid_roles", "A key needs at least one role.");
        }

        secret ??= SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(now),
            ClientId = clientId,
            Name = name,
            Prefix = secret[..Math.Min(8, secret.Length)],
            Hash = HashSecret(secret),
            Roles = roles,
            CreatedAt = now,
        };
        return (key, secret);
    }

    /// <summary>The stored form of a secret.</summary>
    public static string HashSecret(string secret) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Revokes the key; revoking twice keeps the first instant.</summary>
    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
