using System.Globalization;
using System.Threading.RateLimiting;
using JobGateway.Core.Jobs;
using JobGateway.Rest.Auth;
using JobGateway.Rest.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Rest.Limits;

/// <summary>
/// The per-client limits on the REST creates: ASP.NET Core's rate limiting middleware, partitioned by the
/// authenticated client, refuses a create over the client's rate before its body is read; a filter refuses one past
/// the client's Pending cap after validation. Both answer 429 with <c>Retry-After</c> in the endpoint's dialect and
/// store nothing.
/// </summary>
public static class JobCreateLimitsModule
{
    /// <summary>The rate limiting policy of the create endpoints.</summary>
    public const string RatePolicy = "job-creates";

    /// <summary>Options (<c>Gateway:Limits</c>, validated at start-up), <see cref="IJobCreateLimits"/> and the rate limiting policy.</summary>
    public static IServiceCollection AddJobCreateLimits(this IServiceCollection services)
    {
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<JobCreateLimits>();
        services.AddSingleton<IJobCreateLimits>(sp => sp.GetRequiredService<JobCreateLimits>());
        services.AddRateLimiter(o => o.AddPolicy<ClientRateKey, JobCreateRatePolicy>(RatePolicy));
        return services;
    }

    /// <summary>
    /// Holds a create endpoint to the caller's limits and documents its 429's <c>Retry-After</c>; the surface
    /// documents the 429's body in its own dialect. <paramref name="addsJob"/> is false for a create that stores no
    /// job itself (a recurring task): it is refused at the cap but does not count towards it.
    /// </summary>
    public static RouteHandlerBuilder LimitsJobCreates(this RouteHandlerBuilder builder, bool addsJob = true) =>
        builder.RequireRateLimiting(RatePolicy)
            .AddEndpointFilter(new PendingCapFilter(addsJob ? 1 : 0))
            .ProducesHeader(StatusCodes.Status429TooManyRequests, ResponseHeaderMetadataExtensions.RetryAfter,
                "Seconds to wait before creating again: the client's rate limit (code rate_limited) or its cap of Pending jobs (code too_many_pending) is reached.",
                format: "int32");

    /// <summary>The refusal as this endpoint's error, <c>Retry-After</c> set on the response.</summary>
    internal static ErrorResult ToResult(this CreateRefusal refusal, HttpContext context)
    {
        context.Response.Headers.RetryAfter = refusal.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return new GatewayError(StatusCodes.Status429TooManyRequests, "Too Many Requests", refusal.Message, refusal.Code).ToResult();
    }
}

/// <summary>
/// The rate limiting middleware's policy for creates: one partition per client (and its limits), whose limiter is
/// that client's bucket in <see cref="JobCreateLimits"/>, so that REST and SOAP creates draw from one budget.
/// </summary>
internal sealed class JobCreateRatePolicy(JobCreateLimits limits) : IRateLimiterPolicy<ClientRateKey>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<ClientRateKey> GetPartition(HttpContext httpContext) =>
        httpContext.User.Identity is GatewayIdentity identity
            ? RateLimitPartition.Get(limits.RateKeyOf(identity.Credential), key => new SharedBucket(limits, key))
            : RateLimitPartition.GetNoLimiter(default(ClientRateKey));

    private ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var key = http.User.Identity is GatewayIdentity identity ? limits.RateKeyOf(identity.Credential) : default;
        return new ValueTask(JobCreateLimits.RateRefusal(key, context.Lease).ToResult(http).ExecuteAsync(http));
    }

    /// <summary>
    /// A client's bucket as the middleware sees it: the middleware keeps a limiter per partition, and this one only
    /// forwards to the bucket that T2A's creates draw from too. It holds nothing, so it is never idle: the middleware
    /// keeps one per client and limits.
    /// </summary>
    private sealed class SharedBucket(JobCreateLimits limits, ClientRateKey key) : RateLimiter
    {
        public override TimeSpan? IdleDuration => null;

        public override RateLimiterStatistics? GetStatistics() => limits.RateStatistics(key);

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => limits.AcquireRate(key, permitCount);

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
            limits.AcquireRateAsync(key, permitCount, cancellationToken);
    }
}

/// <summary>Refuses a create past the caller's cap of Pending jobs; runs after validation, so bad input is told first.</summary>
internal sealed class PendingCapFilter(int jobs) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (http.User.Identity is GatewayIdentity identity
            && await http.RequestServices.GetRequiredService<IJobCreateLimits>().CheckPendingAsync(identity.Credential, jobs, http.RequestAborted) is { } refusal)
        {
            return refusal.ToResult(http);
        }

        return await next(context);
    }
}
