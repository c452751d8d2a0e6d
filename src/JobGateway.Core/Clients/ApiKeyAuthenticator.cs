using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace JobGateway.Core.Clients;

/// <summary>
/// Turns a presented secret into a <see cref="Credential"/>. Every surface (bearer header, SOAP parameter,
/// SOAP header) goes through here. Transient (it holds nothing of its own): it uses the request's store, and a singleton
/// <see cref="CredentialCache"/> so a busy client costs no database read per request.
/// </summary>
public sealed class ApiKeyAuthenticator(IClientStore store, CredentialCache cache)
{
    /// <summary>The credential for <paramref name="secret"/>, or null when it is unknown, revoked or disabled.</summary>
    public async ValueTask<Credential?> AuthenticateAsync(string? secret, CancellationToken cancellationToken)
    {
        if (!SecretHash.TryCompute(secret, out var hash))
        {
            return null;
        }

        if (cache.TryGet(hash, out var hit))
        {
            return hit;
        }

        var credential = await store.FindCredentialAsync(hash.ToHex(), cancellationToken).ConfigureAwait(false);
        if (credential is not null)
        {
            cache.Add(hash, credential);
        }

        return credential;
    }
}

/// <summary>
/// The SHA-256 of a presented secret, as the 32 bytes themselves: what the cache is keyed by, so that a cached
/// key is recognised without allocating its hex form (<see cref="ToHex"/> gives the stored form, for the
/// database lookup of a key the cache does not hold).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct SecretHash(ulong A, ulong B, ulong C, ulong D)
{
    /// <summary>Longer secrets are refused before they are hashed.</summary>
    public const int MaxSecretLength = 512;

    /// <summary>The hash of <paramref name="secret"/>; false when it is empty, blank or too long to be a key.</summary>
    public static bool TryCompute(ReadOnlySpan<char> secret, out SecretHash hash)
    {
        if (secret.IsWhiteSpace() || secret.Length > MaxSecretLength)
        {
            hash = default;
            return false;
        }

        // Sized to the secret (a key is some 40 characters): the runtime zeroes every byte it allocates here.
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(secret.Length)];
        var length = Encoding.UTF8.GetBytes(secret, utf8);
        Span<ulong> words = stackalloc ulong[4];
        SHA256.HashData(utf8[..length], MemoryMarshal.AsBytes(words));
        hash = new SecretHash(words[0], words[1], words[2], words[3]);
        return true;
    }

    /// <summary>The stored form: upper-case hex, as <see cref="ApiKey.HashSecret"/> writes it.</summary>
    public string ToHex()
    {
        Span<ulong> words = [A, B, C, D];
        return Convert.ToHexString(MemoryMarshal.AsBytes(words));
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

    private readonly ConcurrentDictionary<SecretHash, (Credential Credential, DateTimeOffset Until)> _entries = new();

    /// <summary>A fresh cached credential for the key hash.</summary>
    public bool TryGet(SecretHash keyHash, out Credential? credential)
    {
        if (_entries.TryGetValue(keyHash, out var hit) && hit.Until > time.GetUtcNow())
        {
            credential = hit.Credential;
            return true;
        }

        credential = null;
        return false;
    }

    /// <summary>A fresh cached credential for a presented secret (hashed here, nothing allocated).</summary>
    public bool TryGet(ReadOnlySpan<char> secret, out Credential? credential)
    {
        credential = null;
        return SecretHash.TryCompute(secret, out var hash) && TryGet(hash, out credential);
    }

    /// <summary>Remembers a successful lookup.</summary>
    public void Add(SecretHash keyHash, Credential credential)
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
