using System.Net.Sockets;
using System.Text.RegularExpressions;
using JobGateway.Core;
using JobGateway.Persistence;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobGateway.Api;

/// <summary>
/// Why the gateway could not start, said in one console line: what is wrong and what to do. Failures an operator
/// can fix (the database in use or not writable, an unreachable PostgreSQL, a taken port, a bad setting) get that
/// line alone; anything else is a fault of the gateway, logged with its exception for the bug report.
/// </summary>
internal static partial class StartupFailure
{
    private const string WhereSettingsLive =
        "Fix it in appsettings.json, an environment variable (Gateway__Section__Name) or the command line (--Gateway:Section:Name=value), then start again.";

    /// <summary>The line for <paramref name="exception"/>, or null when it is not a failure the operator can fix.</summary>
    public static string? Describe(Exception exception)
    {
        foreach (var cause in Causes(exception))
        {
            var line = cause switch
            {
                DatabaseStartupException database => database.Message,
                OptionsValidationException options => $"A setting is not valid: {string.Join(" ", options.Failures.Select(f => Plain(f, options.OptionsType)))} {WhereSettingsLive}",
                InvalidOperationException when ConversionFailure().Match(cause.Message) is { Success: true } conversion =>
                    $"A setting is not valid: {conversion.Groups["key"].Value} {(conversion.Groups["value"].Success ? $"is '{conversion.Groups["value"].Value}', which" : string.Empty)} " +
                    $"is not {Expected(conversion.Groups["type"].Value)}. {WhereSettingsLive}",
                IOException { InnerException: AddressInUseException } =>
                    $"{Sentence(cause.Message)} Stop the process that uses the port, or give the gateway another address: --urls http://localhost:5001",
                PostgresException postgres =>
                    $"PostgreSQL refused the gateway: {postgres.MessageText} ({postgres.SqlState}). Check Gateway:Database:ConnectionString (database, user, password).",
                NpgsqlException npgsql when npgsql.InnerException is SocketException or TimeoutException =>
                    $"The gateway cannot reach its PostgreSQL server: {Sentence(npgsql.Message)} Check Gateway:Database:ConnectionString (host, port) and that the server runs.",
                _ => null,
            };
            if (line is not null)
            {
                return line.Replace("  ", " ", StringComparison.Ordinal);
            }
        }

        return null;
    }

    // The exception and its causes, depth first (the host wraps start-up failures; validation of several options
    // arrives as an AggregateException).
    private static IEnumerable<Exception> Causes(Exception exception)
    {
        yield return exception;
        IEnumerable<Exception> inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : exception.InnerException is { } one ? [one] : [];
        foreach (var cause in inner.SelectMany(Causes))
        {
            yield return cause;
        }
    }

    // "DataAnnotation validation failed for 'GatewayOptions' members: 'MaxRequestBodyBytes' with the error: 'The field
    // MaxRequestBodyBytes must be between 1024 and 104857600.'." names a .NET type; whole key (each options type names its section in a Section constant) and its rule are enough.
    private static string Plain(string failure, Type optionsType)
    {
        var match = DataAnnotationFailure().Match(failure);
        if (!match.Success)
        {
            return Sentence(failure);
        }

        var section = optionsType.GetField("Section")?.GetRawConstantValue() as string;
        var key = section is null ? match.Groups["member"].Value : $"{section}:{match.Groups["member"].Value}";
        var error = match.Groups["error"].Value;
        return Sentence(error.Contains(key, StringComparison.Ordinal) ? error : $"{key}: {error}");
    }

    // The configuration binder names the target type in full ("System.Int32", or an options enum's name).
    private static string Expected(string type) =>
        (Type.GetType(type) ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(type)).FirstOrDefault(t => t is not null)) is { } clrType
        && ValueKinds.Describe(clrType) is { } words
            ? words
            : $"a valid {type[(type.LastIndexOf('.') + 1)..]} value";

    private static string Sentence(string text) => text.TrimEnd().EndsWith('.') ? text.TrimEnd() : text.TrimEnd() + ".";

    [GeneratedRegex(@"configuration value (?:'(?<value>[^']*)' )?at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConversionFailure();

    [GeneratedRegex(@"members: '(?<member>[^']+)' with the error: '(?<error>.*)'\.?$")]
    private static partial Regex DataAnnotationFailure();
}
