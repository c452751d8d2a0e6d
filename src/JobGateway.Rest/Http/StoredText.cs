using FluentValidation;

namespace JobGateway.Rest.Http;

/// <summary>
/// Text a client sends to be stored must be text every store keeps: PostgreSQL's text columns refuse U+0000 (SQLite's
/// take it), so the validators refuse a NUL character up front, on either provider, in the surface's own dialect.
/// </summary>
public static class StoredText
{
    public static bool IsStorable(string? text) => text is null || !text.Contains('\0', StringComparison.Ordinal);

    /// <summary>The rule for a member whose text is stored: no NUL character, said with the member's wire name.</summary>
    public static IRuleBuilderOptions<T, string?> Storable<T>(this IRuleBuilder<T, string?> rule, string member) =>
        rule.Must(IsStorable).WithMessage($"'{member}' must not contain NUL characters (U+0000).");
}
