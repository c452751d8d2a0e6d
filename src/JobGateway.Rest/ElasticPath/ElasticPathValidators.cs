using FluentValidation;
using FluentValidation.Results;
using JobGateway.Rest.Http;

namespace JobGateway.Rest.ElasticPath;

/// <summary>
/// The rules of Elastic Path's JobCreate. Every message starts with the member's JSON:API path, the way
/// Elastic Path words it: <c>data.attributes.job_type: "job_type" is required</c>.
/// </summary>
public sealed class SubscriptionJobCreateRequestValidator : AbstractValidator<SubscriptionJobCreateRequest>
{
    public const int MaxExternalRefLength = 256;
    public const int MaxTaxTextLength = 1024;
    public const string TaxItemType = "tax_item";

    public SubscriptionJobCreateRequestValidator()
    {
        RuleFor(r => r.Data).NotNull().OverridePropertyName("data").WithMessage(Required("data"));
        When(r => r.Data is not null, () =>
        {
            RuleFor(r => r.Data!.Type).Custom((type, context) =>
            {
                if (type is null)
                {
                    Fail(context, "data.type", "is required");
                }
                else if (type != SubscriptionJob.ResourceType)
                {
                    Fail(context, "data.type", $"must be \"{SubscriptionJob.ResourceType}\"");
                }
            });
            RuleFor(r => r.Data!.Attributes).NotNull().OverridePropertyName("data.attributes").WithMessage(Required("data.attributes"));
            When(r => r.Data!.Attributes is not null, () =>
            {
                RuleFor(r => r.Data!.Attributes!.JobType).Custom((jobType, context) =>
                {
                    if (string.IsNullOrEmpty(jobType))
                    {
                        Fail(context, "data.attributes.job_type", "is required");
                    }
                    else if (!ElasticPathJobTypes.IsKnown(jobType))
                    {
                        Fail(context, "data.attributes.job_type", $"must be one of {string.Join(", ", ElasticPathJobTypes.All)}");
                    }
                });
                RuleFor(r => r.Data!.Attributes!.ExternalRef).Custom((externalRef, context) =>
                {
                    if (externalRef is { Length: > MaxExternalRefLength })
                    {
                        Fail(context, "data.attributes.external_ref", $"must be at most {MaxExternalRefLength} characters");
                    }
                    else if (!StoredText.IsStorable(externalRef))
                    {
                        Fail(context, "data.attributes.external_ref", "must not contain NUL characters (U+0000)");
                    }
                });
                RuleFor(r => r.Data!.Attributes!.Taxes).Custom(ValidateTaxes);
            });
        });
    }

    private static void ValidateTaxes(IReadOnlyList<TaxesForInvoice>? taxes, ValidationContext<SubscriptionJobCreateRequest> context)
    {
        for (var i = 0; i < (taxes?.Count ?? 0); i++)
        {
            var path = $"data.attributes.taxes[{i}]";
            var invoice = taxes![i];
            if (invoice is null)
            {
                Fail(context, path, "must be an object");
                continue;
            }

            if (invoice.InvoiceId is null)
            {
                Fail(context, $"{path}.invoice_id", "is required");
            }
            else if (!Guid.TryParseExact(invoice.InvoiceId, "D", out _))
            {
                Fail(context, $"{path}.invoice_id", "must be a valid UUID");
            }

            if (invoice.TaxItems is null)
            {
                Fail(context, $"{path}.tax_items", "is required");
                continue;
            }

            for (var j = 0; j < invoice.TaxItems.Count; j++)
            {
                ValidateTaxItem(invoice.TaxItems[j], $"{path}.tax_items[{j}]", context);
            }
        }
    }

    private static void ValidateTaxItem(TaxItem? item, string path, ValidationContext<SubscriptionJobCreateRequest> context)
    {
        if (item is null)
        {
            Fail(context, path, "must be an object");
            return;
        }

        if (item.Type is null)
        {
            Fail(context, $"{path}.type", "is required");
        }
        else if (item.Type != TaxItemType)
        {
            Fail(context, $"{path}.type", $"must be \"{TaxItemType}\"");
        }

        if (item.Rate is null)
        {
            Fail(context, $"{path}.rate", "is required");
        }
        else if (item.Rate < 0)
        {
            Fail(context, $"{path}.rate", "must be greater than or equal to 0");
        }

        foreach (var (member, value) in new[] { ("name", item.Name), ("code", item.Code), ("jurisdiction", item.Jurisdiction) })
        {
            if (value is { Length: > MaxTaxTextLength })
            {
                Fail(context, $"{path}.{member}", $"must be at most {MaxTaxTextLength} characters");
            }
        }
    }

    private static string Required(string path) => $"{path}: \"{Member(path)}\" is required";

    private static void Fail<T>(ValidationContext<T> context, string path, string rule) =>
        context.AddFailure(new ValidationFailure(path, $"{path}: \"{Member(path)}\" {rule}"));

    // "data.attributes.taxes[0].rate" → "rate"; "data.attributes.taxes[0]" → "taxes".
    private static string Member(string path)
    {
        var member = path[(path.LastIndexOf('.') + 1)..];
        var bracket = member.IndexOf('[', StringComparison.Ordinal);
        return bracket > 0 ? member[..bracket] : member;
    }
}
