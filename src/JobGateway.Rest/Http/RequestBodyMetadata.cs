using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace JobGateway.Rest.Http;

/// <summary>
/// The body a custom binder (<c>BindAsync</c>) reads, for the API description. Deliberately not
/// <c>IAcceptsMetadata</c>: routing would refuse other content types itself, with an empty 415 and before
/// authentication, where the endpoint's binder answers in its dialect.
/// </summary>
/// <param name="RequestType">The bound type.</param>
/// <param name="ContentTypes">The media types the binder reads.</param>
public sealed record RequestBodyMetadata(Type RequestType, IReadOnlyList<string> ContentTypes);

public static class RequestBodyMetadataExtensions
{
    /// <summary>Describes the body that <typeparamref name="T"/>'s binder reads.</summary>
    public static RouteHandlerBuilder DescribesBody<T>(this RouteHandlerBuilder builder, params string[] contentTypes) =>
        builder.WithMetadata(new RequestBodyMetadata(typeof(T), contentTypes));

    /// <summary>
    /// A JSON body read by <see cref="BufferedBody.ReadJsonAsync{T}"/> in <typeparamref name="T"/>'s binder, with the problem
    /// details reading it can answer: 400 (malformed, a wrong type, an unknown member), 413 (too large), 415 (not JSON).
    /// </summary>
    public static RouteHandlerBuilder ReadsJsonBody<T>(this RouteHandlerBuilder builder) =>
        builder.DescribesBody<T>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
}
