using System.Text.Json;
using System.Text.RegularExpressions;
using JobGateway.Core;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace JobGateway.Rest.Http;

/// <summary>
/// The last line: turns any exception into an error in the endpoint's dialect. Requests the client got
/// wrong say what was wrong; anything else is a 500 that says nothing about the gateway's insides.
/// </summary>
public sealed partial class GatewayExceptionHandler(ILogger<GatewayExceptionHandler> logger, IStoreFailures storeFailures) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(exception);
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        var error = exception switch
        {
            BadHttpRequestException bad => FromBadRequest(bad, httpContext.Request),
            DomainException domain => new GatewayError(StatusCodes.Status409Conflict, "Conflict", domain.Message, domain.Code),
            _ => null,
        };

        if (error is null && storeFailures.Classify(exception) is { } failure)
        {
            // The database failed, not the request: the client is told to come back, and nothing was changed.
            LogStoreFailed(logger, httpContext.Request.Method, httpContext.Request.Path, failure, exception.Message);
            await UnavailableAnswers.WriteAsync(httpContext, UnavailableAnswers.For(failure));
            return true;
        }

        if (error is null)
        {
            if (httpContext.RequestAborted.IsCancellationRequested)
            {
                return true;
            }

            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            error = new GatewayError(StatusCodes.Status500InternalServerError, "Internal Server Error", "An internal error has occurred.", "internal_error");
        }

        await httpContext.WriteErrorAsync(error);
        return true;
    }

    private static GatewayError FromBadRequest(BadHttpRequestException bad, HttpRequest request)
    {
        if (bad is RequestBindingException binding)
        {
            return binding.Error;
        }

        // Minimal APIs' binding failure of a typed parameter ("Failed to bind parameter "Nullable<int> PageSize" from
        // "abc".") names the C# type and property; the client knows the query parameter and the kind of value it needs.
        if (ParameterBindingFailure().Match(bad.Message) is { Success: true } parameter)
        {
            var name = parameter.Groups["name"].Value;
            var key = request.Query.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? name;
            var message = $"'{key}' must be {ExpectedValue(parameter.Groups["type"].Value)}, not '{parameter.Groups["value"].Value}'.";
            return new GatewayError(bad.StatusCode, "Bad Request", message, "bad_request",
                new Dictionary<string, string[]>(StringComparer.Ordinal) { [key] = [message] });
        }

        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new GatewayError(bad.StatusCode, "Payload Too Large", "The request body is larger than the limit.", "body_too_large");
        }

        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return new GatewayError(bad.StatusCode, "Unsupported Media Type", bad.Message, "unsupported_media_type");
        }

        // A body minimal APIs bound themselves; the reader's own message names .NET types ("could not be converted to
        // System.String"), so only its position is passed on. The gateway's bodies are read by BufferedBody, which
        // says more.
        return bad.InnerException is JsonException json
            ? JsonBodyErrors.Malformed(json)
            : new GatewayError(bad.StatusCode, "Bad Request", bad.Message, "bad_request");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The job store failed serving {Method} {Path} ({Failure}): {Reason}")]
    private static partial void LogStoreFailed(ILogger logger, string method, string path, StoreFailure failure, string reason);

    // The binder names the parameter's type as C# does ("Nullable<int>", "Guid", "DateTimeOffset").
    private static string ExpectedValue(string type)
    {
        var name = type.Replace("Nullable<", string.Empty, StringComparison.Ordinal).TrimEnd('>');
        var clrType = name switch
        {
            "int" => typeof(int),
            "long" => typeof(long),
            "short" => typeof(short),
            "double" => typeof(double),
            "decimal" => typeof(decimal),
            "float" => typeof(float),
            "bool" => typeof(bool),
            _ => Type.GetType("System." + name),
        };
        return (clrType is null ? null : ValueKinds.Describe(clrType)) ?? "a value of another kind";
    }

    [GeneratedRegex("^Failed to bind parameter \"(?<type>.+) (?<name>[^ \"]+)\" from \"(?<value>.*)\"\\.$")]
    private static partial Regex ParameterBindingFailure();

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception serving {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
