using FluentValidation;
using FluentValidation.Validators;
using JobGateway.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.Jobs;

/// <summary>The endpoint filter runs validators synchronously, which only works while none has an asynchronous rule.</summary>
public sealed class ValidatorTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    [Fact]
    public void EveryRegisteredValidator_HasSynchronousRulesOnly()
    {
        var validatorTypes = typeof(JobGateway.Rest.RestModule).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>))
            .Distinct()
            .ToList();
        Assert.NotEmpty(validatorTypes);

        foreach (var service in validatorTypes)
        {
            var validator = gateway.Services.GetRequiredService(service);
            foreach (var rule in ((System.Collections.IEnumerable)validator).Cast<IValidationRule>())
            {
                Assert.False(rule.HasAsyncCondition, $"{validator.GetType().Name}.{rule.PropertyName} has an asynchronous condition");
                foreach (var component in rule.Components)
                {
                    Assert.False(component.HasAsyncCondition, $"{validator.GetType().Name}.{rule.PropertyName} has an asynchronous condition");
                    var synchronous = component.Validator.GetType().GetInterfaces()
                        .Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IPropertyValidator<,>));
                    Assert.True(synchronous, $"{validator.GetType().Name}.{rule.PropertyName}: {component.Validator.Name} is asynchronous only");
                }
            }
        }
    }
}
