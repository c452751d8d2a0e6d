namespace JobGateway.Core;

/// <summary>
/// What a value of a .NET type is, in the words a client or an operator reads ("a whole number", "a UUID"): the one
/// wording behind every "must be …" the gateway says about a body member, a query parameter or a setting.
/// </summary>
public static class ValueKinds
{
    /// <summary>The words for <paramref name="type"/> (or the type it makes nullable); null when there are none.</summary>
    public static string? Describe(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying switch
        {
            _ when underlying == typeof(string) => "a string",
            _ when underlying == typeof(int) || underlying == typeof(long) || underlying == typeof(short) || underlying == typeof(byte)
                || underlying == typeof(uint) || underlying == typeof(ulong) => "a whole number",
            _ when underlying == typeof(double) || underlying == typeof(decimal) || underlying == typeof(float) => "a number",
            _ when underlying == typeof(bool) => "true or false",
            _ when underlying == typeof(Guid) => "a UUID",
            _ when underlying == typeof(DateTimeOffset) || underlying == typeof(DateTime) => "an ISO 8601 date and time",
            _ when underlying == typeof(TimeSpan) => "a time span (hh:mm:ss)",
            _ when underlying == typeof(Uri) => "a URL",
            { IsEnum: true } => $"one of {string.Join(", ", Enum.GetNames(underlying))}",
            _ => null,
        };
    }
}
