namespace JobGateway.Core;

/// <summary>Why the store could not serve a request, when the fault is the store's and not the request's.</summary>
public enum StoreFailure
{
    /// <summary>The database cannot be reached or is busy (restarting, down, locked, out of connections): retry later.</summary>
    Unavailable,

    /// <summary>The database has no room left for new data (a full disk, or its configured size cap).</summary>
    Full,
}

/// <summary>
/// Recognises the provider's exceptions that mean the store itself failed (<see cref="StoreFailure"/>), so that every
/// surface can answer them in its own dialect (503 or 507 with a clear message) instead of a 500.
/// </summary>
public interface IStoreFailures
{
    /// <summary>What <paramref name="exception"/> (or one it wraps) says about the store, or null when it is something else.</summary>
    StoreFailure? Classify(Exception exception);
}

/// <summary>What a client is told about a <see cref="StoreFailure"/>, the same words on every surface.</summary>
public static class StoreFailureMessages
{
    /// <summary>Seconds a client is asked to wait before retrying (<c>Retry-After</c>) when the store is unavailable or a request timed out.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>The HTTP status of a failure: 503 Service Unavailable, or 507 Insufficient Storage.</summary>
    public static int Status(StoreFailure failure) => failure == StoreFailure.Full ? 507 : 503;

    /// <summary>The stable code: <c>database_unavailable</c> or <c>storage_full</c>.</summary>
    public static string Code(StoreFailure failure) => failure == StoreFailure.Full ? "storage_full" : "database_unavailable";

    /// <summary>The sentence a client reads.</summary>
    public static string Message(StoreFailure failure) => failure == StoreFailure.Full
        ? "The job store is full: nothing was stored. Retry once the operator has freed space."
        : $"The job store is unavailable: nothing was changed. Retry in {RetryAfterSeconds} seconds.";

    /// <summary>The code of a request that ran out of time.</summary>
    public const string TimeoutCode = "request_timeout";

    /// <summary>What a client is told when its request ran longer than the server-side timeout.</summary>
    public const string TimeoutMessage = "The request took longer than the gateway's request timeout and was stopped; a create may still have been stored. Retry later (with the same Idempotency-Key where the surface has one).";
}
