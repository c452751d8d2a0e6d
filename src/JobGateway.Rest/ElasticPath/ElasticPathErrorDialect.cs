using System.Globalization;
using JobGateway.Rest.Http;
using Microsoft.AspNetCore.Http;

namespace JobGateway.Rest.ElasticPath;

/// <summary>
/// Elastic Path's error document: <c>{"errors":[{"status":"400","title":"Validation Error","detail":"…"}]}</c>,
/// the status as a string, one entry per validation failure. Titles follow Elastic Path where it published
/// one (401 "Unable to validate access token", 409 "Write Conflict", 500 "Internal Server Error").
/// </summary>
public sealed class ElasticPathErrorDialect : IErrorDialect
{
    public static readonly ElasticPathErrorDialect Instance = new();

    public const string UnauthorizedTitle = "Unable to validate access token";
    public const string WriteConflictTitle = "Write Conflict";

    public Task WriteAsync(HttpContext context, GatewayError gatewayError)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(gatewayError);
        context.Response.StatusCode = gatewayError.Status;
        return context.Response.WriteAsJsonAsync(new ElasticPathErrorDocument(Errors(gatewayError)), options: null, contentType: "application/json");
    }

    public static IReadOnlyList<ElasticPathError> Errors(GatewayError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var status = error.Status.ToString(CultureInfo.InvariantCulture);
        return error.Status switch
        {
            // Elastic Path says no more than this about a missing or bad token.
            StatusCodes.Status401Unauthorized => [new ElasticPathError(status, UnauthorizedTitle, null)],
            StatusCodes.Status409Conflict => [new ElasticPathError(status, WriteConflictTitle, error.Detail)],
            StatusCodes.Status500InternalServerError => [new ElasticPathError(status, "Internal Server Error", null)],
            _ when error.Errors is { Count: > 0 } fields =>
                fields.SelectMany(f => f.Value).Select(message => new ElasticPathError(status, error.Title, message)).ToArray(),
            _ => [new ElasticPathError(status, error.Title, error.Detail)],
        };
    }
}
