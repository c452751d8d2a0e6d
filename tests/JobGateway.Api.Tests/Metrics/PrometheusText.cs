using System.Globalization;
using System.Text.RegularExpressions;

namespace JobGateway.Api.Tests.Metrics;

/// <summary>
/// Prometheus' text exposition format, parsed: one sample per line, <c>name{label="value",...} number</c>; comment
/// lines (<c># HELP</c>, <c># TYPE</c>) are kept by metric name.
/// </summary>
internal sealed partial class PrometheusText
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);

    public PrometheusText(string text)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                _types[parts[2]] = parts[3];
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = Sample().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in Label().Matches(match.Groups["labels"].Value))
            {
                labels[label.Groups["key"].Value] = Regex.Unescape(label.Groups["value"].Value);
            }

            _samples.Add((match.Groups["name"].Value, labels, ParseNumber(match.Groups["value"].Value)));
        }
    }

    /// <summary>The metric's declared type (<c>counter</c>, <c>gauge</c>, <c>histogram</c>), or null.</summary>
    public string? TypeOf(string name) => _types.GetValueOrDefault(name);

    /// <summary>The one sample of <paramref name="name"/> with these labels (among others), or null when there is none.</summary>
    public double? Value(string name, params (string Key, string Value)[] labels)
    {
        var matches = _samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value)).ToList();
        Assert.True(matches.Count <= 1, $"{matches.Count} samples of {name} match {string.Join(",", labels)}");
        return matches.Count == 0 ? null : matches[0].Value;
    }

    /// <summary>Every metric name sampled.</summary>
    public IEnumerable<string> Names => _samples.Select(s => s.Name).Distinct();

    private static double ParseNumber(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$""")]
    private static partial Regex Sample();

    [GeneratedRegex(""""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(\\.|[^"\\])*)"""")]
    private static partial Regex Label();
}
