using System.Collections.Concurrent;

namespace JobGateway.Core.Clients;

/// <summary>
/// Turns a presented secret into a <see cref="Credential"/>. Every surface (bearer header, SOAP parameter,
/// SOAP header) goes through here. Scoped: it uses the request's store, and a singleton
/// <see cref="CredentialCache"/> so a busy client costs no database read per request.
/// </summary>
public sealed class ApiKeyAuthenticator(IClientStore store, CredentialCache cache)
{
    private const int MaxSecretLength = 512;

    /// <summary>The credential for <paramref name="secret"/>, or null when it is unknown, revoked or disabled.</summary>
    public async ValueTask<Credential?> AuthenticateAsync(string? secret, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Length > MaxSecretLength)
        {
            return null;
        }

        var hash = ApiKey.HashSecret(secret);
        if (cache.TryGet(hash, out var hit))
        {
            return hit;
        }

        var credential = await store.FindCredentialAsync(hash, cancellationToken).ConfigureAwait(false);
        if (credential is not null)
        {
            cache.Add(hash, credential);
        }

        return credential;
    }
}

/// <summary>
/// Successful key lookups, trusted for <see cref="CacheFor"/>: a key revoked or a client disabled on another
/// instance is refused here within that time (on this instance, at once: see <see cref="Invalidate"/>).
/// </summary>
public sealed class CredentialCache(TimeProvider time)
{
    /// <summary>How long a successful lookup is trusted.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private const int MaxCachedKeys = 10_000;

    private readonly ConcurrentDictionary<string, (Credential Credential, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    /// <summary>A fresh cached credential for the key hash.</summary>
    public bool TryGet(string keyHash, out Credential? credential)
    {
        if (_entries.TryGetValue(keyHash, out var hit) && hit.Until > time.GetUtcNow())
        {
            credential = hit.Credential;
            return true;
        }

        credential = null;
        return false;
    }

    /// <summary>Remembers a successful lookup.</summary>
    public void Add(string keyHash, Credential credential)
    {
        if (_entries.Count >= MaxCachedKeys)
        {
            _entries.Clear();
        }

        _entries[keyHash] = (credential, time.GetUtcNow() + CacheFor);
    }

    /// <summary>Forgets every lookup (after a key is revoked or a client disabled).</summary>
    public void Invalidate() => _entries.Clear();
}
