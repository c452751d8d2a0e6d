using Microsoft.AspNetCore.Builder;

namespace JobGateway.Rest.Http;

/// <summary>A header an endpoint sends with one of its answers, for the API description.</summary>
/// <param name="StatusCode">The answer's HTTP status.</param>
/// <param name="Name">The header.</param>
/// <param name="Description">What it tells the client.</param>
/// <param name="Required">Whether every answer with <paramref name="StatusCode"/> carries it.</param>
/// <param name="Format">The value's format (<c>uri-reference</c>, <c>int32</c>, …), if any.</param>
public sealed record ResponseHeaderMetadata(int StatusCode, string Name, string Description, bool Required, string? Format = null);

public static class ResponseHeaderMetadataExtensions
{
    public const string Location = "Location";
    public const string RetryAfter = "Retry-After";
    public const string IdempotentReplayed = "Idempotent-Replayed";

    /// <summary>Declares that answers with <paramref name="statusCode"/> carry the header <paramref name="name"/>.</summary>
    public static RouteHandlerBuilder ProducesHeader(this RouteHandlerBuilder builder, int statusCode, string name, string description, bool required = true, string? format = null) =>
        builder.WithMetadata(new ResponseHeaderMetadata(statusCode, name, description, required, format));

    /// <summary>Declares the <c>Location</c> of what an answer with <paramref name="statusCode"/> created.</summary>
    public static RouteHandlerBuilder ProducesLocation(this RouteHandlerBuilder builder, int statusCode, string description) =>
        builder.ProducesHeader(statusCode, Location, description, required: true, format: "uri-reference");

    /// <summary>Declares <c>Idempotent-Replayed: true</c> on a create answered from an earlier request with the same Idempotency-Key.</summary>
    public static RouteHandlerBuilder ProducesIdempotentReplayed(this RouteHandlerBuilder builder, int statusCode) =>
        builder.ProducesHeader(statusCode, IdempotentReplayed,
            "`true` when the answer is the job an earlier request with the same Idempotency-Key created; absent otherwise.", required: false);
}
