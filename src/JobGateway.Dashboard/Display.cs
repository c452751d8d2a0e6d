using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using JobGateway.Core.Jobs;

namespace JobGateway.Dashboard;

/// <summary>How the dashboard writes values: instants in UTC, statuses and surfaces by their names, JSON indented.</summary>
public static class Display
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>An instant as <c>2026-01-05 09:00:03</c> (UTC), or a dash.</summary>
    public static string Time(DateTimeOffset? instant) =>
        instant is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "–";

    /// <summary>An instant in ISO 8601, for a title or a <c>datetime</c> attribute.</summary>
    public static string Iso(DateTimeOffset? instant) =>
        instant is { } at ? at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>How far <paramref name="instant"/> lies from <paramref name="now"/>: <c>in 42 s</c>, <c>3 min ago</c>.</summary>
    public static string Relative(DateTimeOffset? instant, DateTimeOffset now)
    {
        if (instant is not { } at)
        {
            return "–";
        }

        var span = at - now;
        var size = span.Duration();
        if (size < TimeSpan.FromSeconds(1))
        {
            return "now";
        }

        var text = size.TotalSeconds < 90 ? $"{(int)size.TotalSeconds} s"
            : size.TotalMinutes < 90 ? $"{(int)size.TotalMinutes} min"
            : size.TotalHours < 48 ? $"{(int)size.TotalHours} h"
            : $"{(int)size.TotalDays} d";
        return span >= TimeSpan.Zero ? $"in {text}" : $"{text} ago";
    }

    /// <summary>A status's name in the native API's and the webhooks' words: the canonical name in lower case.</summary>
    public static string Status(JobStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>The status with this name, or null.</summary>
    public static JobStatus? ParseStatus(string? name) =>
        Enum.GetValues<JobStatus>().Cast<JobStatus?>().FirstOrDefault(s => string.Equals(Status(s!.Value), name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A surface's name.</summary>
    public static string Surface(JobSurface surface) => JobSurfaces.Name(surface);

    /// <summary>A number with thousands separated: <c>12,345</c>.</summary>
    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>JSON text indented for reading; text that is not JSON as it is.</summary>
    public static string Json(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
