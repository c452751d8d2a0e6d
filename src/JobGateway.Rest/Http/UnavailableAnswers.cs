using System.Globalization;
using JobGateway.Core;
using Microsoft.AspNetCore.Http;

namespace JobGateway.Rest.Http;

/// <summary>
/// The answers of a gateway that cannot serve a request right now, in the endpoint's dialect: the job store is
/// unavailable (503 <c>database_unavailable</c>) or full (507 <c>storage_full</c>), or the request ran past the
/// server-side request timeout (503 <c>request_timeout</c>). A 503 carries <c>Retry-After</c>.
/// </summary>
public static class UnavailableAnswers
{
    /// <summary>The error for a store failure.</summary>
    public static GatewayError For(StoreFailure failure) => new(
        StoreFailureMessages.Status(failure),
        failure == StoreFailure.Full ? "Insufficient Storage" : "Service Unavailable",
        StoreFailureMessages.Message(failure),
        StoreFailureMessages.Code(failure));

    /// <summary>The error for a request stopped by the request timeout.</summary>
    public static GatewayError Timeout { get; } = new(
        StatusCodes.Status503ServiceUnavailable, "Service Unavailable", StoreFailureMessages.TimeoutMessage, StoreFailureMessages.TimeoutCode);

    /// <summary>Writes <paramref name="error"/> in the endpoint's dialect, with <c>Retry-After</c> on a 503.</summary>
    public static Task WriteAsync(HttpContext context, GatewayError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        if (error.Status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = StoreFailureMessages.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        return context.WriteErrorAsync(error);
    }

    /// <summary>The request timeout's answer (<c>RequestTimeoutPolicy.WriteTimeoutResponse</c>).</summary>
    public static Task WriteTimeoutAsync(HttpContext context) => WriteAsync(context, Timeout);
}
