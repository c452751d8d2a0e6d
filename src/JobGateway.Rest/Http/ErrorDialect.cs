using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace JobGateway.Rest.Http;

/// <summary>
/// How a surface writes an error. A route group attaches its dialect as endpoint metadata, and every error
/// path (validation, auth challenge, unhandled exception) asks for it, so a client always gets errors in the
/// shape it speaks. Without metadata the gateway answers with RFC 9457 problem details.
/// </summary>
public interface IErrorDialect
{
    Task WriteAsync(HttpContext context, GatewayError gatewayError);
}

/// <summary>An error to report to a client.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Title">Short summary.</param>
/// <param name="Detail">What was wrong, for a human.</param>
/// <param name="Code">Stable machine-readable code.</param>
/// <param name="Errors">Field errors (validation), field name → messages.</param>
public sealed record GatewayError(int Status, string Title, string? Detail = null, string? Code = null, IDictionary<string, string[]>? Errors = null);

/// <summary>RFC 9457 problem details, the native dialect.</summary>
public sealed class ProblemDetailsDialect : IErrorDialect
{
    public static readonly ProblemDetailsDialect Instance = new();

    public async Task WriteAsync(HttpContext context, GatewayError gatewayError)
    {
        var error = gatewayError;
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        var problem = error.Errors is { Count: > 0 }
            ? new HttpValidationProblemDetails(error.Errors)
            : new ProblemDetails();
        problem.Status = error.Status;
        problem.Title = error.Title;
        problem.Detail = error.Detail;
        problem.Type = $"https://httpstatuses.io/{error.Status}";
        if (error.Code is not null)
        {
            problem.Extensions["code"] = error.Code;
        }

        problem.Extensions["traceId"] = context.TraceIdentifier;
        context.Response.StatusCode = error.Status;
        var problems = context.RequestServices.GetService(typeof(IProblemDetailsService)) as IProblemDetailsService;
        if (problems is null || !await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            await context.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: "application/problem+json");
        }
    }
}

public static class ErrorDialectExtensions
{
    /// <summary>Writes <paramref name="error"/> in the dialect of the endpoint being served.</summary>
    public static Task WriteErrorAsync(this HttpContext context, GatewayError error)
    {
        ArgumentNullException.ThrowIfNull(context);

        // The exception handler middleware clears the endpoint before handlers run; it keeps it in its feature.
        var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        var dialect = endpoint?.Metadata.GetMetadata<IErrorDialect>() ?? ProblemDetailsDialect.Instance;
        return dialect.WriteAsync(context, error);
    }

    /// <summary>An <see cref="IResult"/> that writes <paramref name="error"/> in the endpoint's dialect.</summary>
    public static ErrorResult ToResult(this GatewayError error) => new(error);
}

/// <summary>An error response in the endpoint's dialect, usable in typed <c>Results&lt;…&gt;</c>.</summary>
public sealed class ErrorResult(GatewayError error) : IResult, IStatusCodeHttpResult
{
    public GatewayError Error => error;

    public int? StatusCode => error.Status;

    public Task ExecuteAsync(HttpContext httpContext) => httpContext.WriteErrorAsync(error);
}
