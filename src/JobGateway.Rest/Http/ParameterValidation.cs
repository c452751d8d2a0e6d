using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Rest.Http;

/// <summary>
/// FluentValidation for minimal APIs: one endpoint filter per route group, the way davidfowl/TodoApi's
/// <c>WithParameterValidation</c> does it (FluentValidation.AspNetCore's automatic validation is MVC-only). For each
/// endpoint of the group, every handler parameter whose type has a registered validator is validated before the
/// handler runs; a failure is answered in the endpoint's error dialect.
/// </summary>
public static class ParameterValidation
{
    public static TBuilder WithParameterValidation<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory(Create);

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var validated = context.MethodInfo.GetParameters()
            .Select((parameter, index) => (Index: index, Validator: context.ApplicationServices.GetService(
                typeof(IValidator<>).MakeGenericType(parameter.ParameterType)) as IValidator))
            .Where(p => p.Validator is not null)
            .ToArray();
        return validated.Length == 0 ? next : invocation => ValidateAsync(invocation, next, validated!);
    }

    private static async ValueTask<object?> ValidateAsync(
        EndpointFilterInvocationContext invocation, EndpointFilterDelegate next, (int Index, IValidator Validator)[] validated)
    {
        foreach (var (index, validator) in validated)
        {
            if (invocation.Arguments[index] is not { } argument)
            {
                return new GatewayError(StatusCodes.Status400BadRequest, "Bad Request", "The request body is required.", "body_required").ToResult();
            }

            // The gateway's validators have synchronous rules only (a test holds that), so they run synchronously.
            var result = validator.Validate(new ValidationContext<object>(argument));
            if (!result.IsValid)
            {
                var errors = result.Errors
                    .GroupBy(e => e.PropertyName, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray(), StringComparer.Ordinal);
                var detail = string.Join(" ", result.Errors.Select(e => e.ErrorMessage).Distinct());
                return new GatewayError(StatusCodes.Status400BadRequest, "Validation Error", detail, "validation_failed", errors).ToResult();
            }
        }

        return await next(invocation);
    }
}
