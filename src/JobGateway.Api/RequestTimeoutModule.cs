using JobGateway.Rest.Http;
using JobGateway.Rest.Worker;
using JobGateway.Soap.Asmx;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;

namespace JobGateway.Api;

/// <summary>
/// ASP.NET Core's request timeouts on every surface (<c>Gateway:RequestTimeoutSeconds</c>): a request still running
/// when its time is up sees its <c>RequestAborted</c> cancelled, and the caller gets 503 <c>request_timeout</c> with
/// <c>Retry-After</c> in its surface's dialect (a SOAP Server fault on the ASMX services). Worker long polls
/// (<c>/api/worker/fetch</c>) get the timeout on top of their longest wait.
/// </summary>
internal static class RequestTimeoutModule
{
    public static IServiceCollection AddGatewayRequestTimeouts(this IServiceCollection services)
    {
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<GatewayOptions>>((timeouts, gateway) =>
        {
            var timeout = TimeSpan.FromSeconds(gateway.Value.RequestTimeoutSeconds);
            timeouts.DefaultPolicy = Policy(timeout);
            timeouts.AddPolicy(WorkerApi.LongPollTimeoutPolicy, Policy(timeout + TimeSpan.FromSeconds(WorkerApi.MaxWaitSeconds)));
        });
        return services;
    }

    private static RequestTimeoutPolicy Policy(TimeSpan timeout) => new()
    {
        Timeout = timeout,
        TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
        WriteTimeoutResponse = WriteAsync,
    };

    private static Task WriteAsync(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<AsmxService>() is not null
            ? AsmxTimeouts.WriteFaultAsync(context)
            : UnavailableAnswers.WriteTimeoutAsync(context);
}
