using System.Text.Json;

namespace JobGateway.Soap.MagnetMail;

/// <summary>
/// The counters and file names a worker reported in the job's <c>Report</c> JSON, read by the seed's element
/// names (<c>{"total_records": 120, "good_records": 118, "mm_filename": "..."}</c>). Anything absent, of another
/// JSON type, or a report that is not a JSON object reads as 0 / null: a report is the worker's, not the caller's.
/// </summary>
internal sealed class UploadReport
{
    public static readonly UploadReport Empty = new(new Dictionary<string, double>(), new Dictionary<string, string>());

    private readonly Dictionary<string, double> _numbers;
    private readonly Dictionary<string, string> _texts;

    private UploadReport(Dictionary<string, double> numbers, Dictionary<string, string> texts)
    {
        _numbers = numbers;
        _texts = texts;
    }

    public static UploadReport Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Empty;
            }

            var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
            var texts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.Number when property.Value.TryGetDouble(out var number):
                        numbers[property.Name] = number;
                        break;
                    case JsonValueKind.String:
                        texts[property.Name] = property.Value.GetString()!;
                        break;
                }
            }

            return new UploadReport(numbers, texts);
        }
        catch (JsonException)
        {
            return Empty;
        }
    }

    public double Number(string name) => _numbers.GetValueOrDefault(name);

    public string? Text(string name) => _texts.GetValueOrDefault(name);
}
