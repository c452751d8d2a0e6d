using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Rest.Http;

/// <summary>
/// Runs the registered FluentValidation validator of <typeparamref name="T"/> on the bound argument and
/// answers with the endpoint's error dialect when it fails (FluentValidation.AspNetCore is not available).
/// </summary>
public sealed class ValidationFilter<T> : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var argument = context.Arguments.OfType<T>().FirstOrDefault();
        if (argument is null)
        {
            return new GatewayError(StatusCodes.Status400BadRequest, "Bad Request", "The request body is required.", "body_required").ToResult();
        }

        // The gateway's validators have synchronous rules only (a test holds that): validating synchronously skips
        // FluentValidation's asynchronous pipeline, which costs more than the rules themselves.
        var validator = context.HttpContext.RequestServices.GetRequiredService<IValidator<T>>();
        var result = validator.Validate(argument);
        if (result.IsValid)
        {
            return await next(context);
        }

        var errors = result.Errors
            .GroupBy(e => e.PropertyName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray(), StringComparer.Ordinal);
        var detail = string.Join(" ", result.Errors.Select(e => e.ErrorMessage).Distinct());
        return new GatewayError(StatusCodes.Status400BadRequest, "Validation Error", detail, "validation_failed", errors).ToResult();
    }
}

public static class ValidationFilterExtensions
{
    /// <summary>
    /// Validates the <typeparamref name="T"/> argument before the handler runs. Its 400 is documented as plain problem
    /// details: a body that cannot be read at all gets one too, without <c>errors</c>.
    /// </summary>
    public static RouteHandlerBuilder Validate<T>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<ValidationFilter<T>>().ProducesProblem(StatusCodes.Status400BadRequest);
}
