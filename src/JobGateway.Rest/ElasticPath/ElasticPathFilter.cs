using System.Globalization;
using JobGateway.Core.Jobs;

namespace JobGateway.Rest.ElasticPath;

/// <summary>
/// Elastic Path's filter grammar: <c>op(field,value[,value…])</c> clauses joined by <c>:</c>, all of which
/// must hold. A value may be double-quoted to contain <c>,</c> <c>)</c> or <c>"</c> (doubled).
/// <list type="table">
/// <item><term>external_ref</term><description>eq, in, like (<c>*</c> matches any characters; case-insensitive)</description></item>
/// <item><term>job_type</term><description>eq, in</description></item>
/// <item><term>status</term><description>eq, in (pending, started, success, failed; failed includes cancelled jobs)</description></item>
/// <item><term>created_at</term><description>eq, gt, ge, lt, le with an ISO 8601 date-time (UTC when no offset)</description></item>
/// </list>
/// </summary>
public static class ElasticPathFilter
{
    /// <summary>
    /// Longest like pattern: four times the longest external reference, so it can still match one with room for
    /// wildcards, and well under SQLite's limit on LIKE patterns (50,000 bytes), which fails the query past it.
    /// </summary>
    public const int MaxLikePatternLength = 1024;

    private static readonly Dictionary<string, string[]> OperatorsByField = new(StringComparer.Ordinal)
    {
        ["external_ref"] = ["eq", "in", "like"],
        ["job_type"] = ["eq", "in"],
        ["status"] = ["eq", "in"],
        ["created_at"] = ["eq", "gt", "ge", "lt", "le"],
    };

    /// <summary>
    /// Narrows <paramref name="query"/> by <paramref name="filter"/>. False with a reason when the filter does not
    /// parse. <paramref name="matchesNothing"/> says the clauses contradict each other (no job can match).
    /// </summary>
    public static bool TryApply(string? filter, JobQuery query, out JobQuery filtered, out bool matchesNothing, out string? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        filtered = query;
        matchesNothing = false;
        error = null;
        if (string.IsNullOrWhiteSpace(filter))
        {
            return true;
        }

        var builder = new Builder(query);
        var reader = new Reader(filter);
        do
        {
            if (!reader.TryReadClause(out var op, out var field, out var values, out error) || !builder.TryAdd(op, field, values, out error))
            {
                return false;
            }
        }
        while (reader.TryReadSeparator());

        if (!reader.AtEnd)
        {
            error = $"Unexpected '{reader.Rest}' after a clause; join clauses with ':'.";
            return false;
        }

        filtered = builder.Build(out matchesNothing);
        return true;
    }

    private sealed class Builder(JobQuery query)
    {
        private HashSet<JobStatus>? _statuses = query.Statuses.Count > 0 ? [.. query.Statuses] : null;
        private HashSet<string>? _types = query.Types.Count > 0 ? new HashSet<string>(query.Types, StringComparer.Ordinal) : null;
        private HashSet<string>? _externalRefs;
        private string? _like;
        private DateTimeOffset? _from;
        private DateTimeOffset? _after;
        private DateTimeOffset? _until;
        private DateTimeOffset? _before;

        public bool TryAdd(string op, string field, IReadOnlyList<string> values, out string? error)
        {
            error = null;
            if (!OperatorsByField.TryGetValue(field, out var operators))
            {
                error = $"Unknown field '{field}'; filter on {string.Join(", ", OperatorsByField.Keys)}.";
                return false;
            }

            if (!operators.Contains(op))
            {
                error = $"Operator '{op}' is not supported on '{field}'; use {string.Join(", ", operators)}.";
                return false;
            }

            if (op != "in" && values.Count != 1)
            {
                error = $"'{op}({field},…)' takes one value.";
                return false;
            }

            switch (field)
            {
                case "status":
                    var statuses = new HashSet<JobStatus>();
                    foreach (var word in values)
                    {
                        if (ElasticPathStatus.FromWord(word) is not { } matching)
                        {
                            error = $"Unknown status '{word}'; use pending, started, success or failed.";
                            return false;
                        }

                        statuses.UnionWith(matching);
                    }

                    _statuses = Intersect(_statuses, statuses);
                    return true;

                case "job_type":
                    _types = Intersect(_types, new HashSet<string>(values, StringComparer.Ordinal));
                    return true;

                case "external_ref" when op == "like":
                    if (_like is not null)
                    {
                        error = "Only one like(external_ref,…) clause is supported.";
                        return false;
                    }

                    if (values[0].Length > MaxLikePatternLength)
                    {
                        error = $"A like(external_ref,…) pattern may be at most {MaxLikePatternLength} characters.";
                        return false;
                    }

                    _like = values[0];
                    return true;

                case "external_ref":
                    _externalRefs = Intersect(_externalRefs, new HashSet<string>(values, StringComparer.Ordinal));
                    return true;

                default:
                    return TryAddDate(op, values[0], out error);
            }
        }

        public JobQuery Build(out bool matchesNothing)
        {
            matchesNothing = _statuses is { Count: 0 } || _types is { Count: 0 } || _externalRefs is { Count: 0 };
            return query with
            {
                Statuses = _statuses?.Order().ToArray() ?? [],
                Types = _types?.Order(StringComparer.Ordinal).ToArray() ?? [],
                ExternalRefs = _externalRefs?.ToArray() ?? [],
                ExternalRefLike = _like,
                CreatedFrom = _from,
                CreatedAfter = _after,
                CreatedUntil = _until,
                CreatedTo = _before,
            };
        }

        private bool TryAddDate(string op, string value, out string? error)
        {
            error = null;
            if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                error = $"'{value}' is not an ISO 8601 date-time.";
                return false;
            }

            // Several bounds of one kind keep the tightest.
            switch (op)
            {
                case "gt":
                    _after = Max(_after, at);
                    break;
                case "ge":
                    _from = Max(_from, at);
                    break;
                case "lt":
                    _before = Min(_before, at);
                    break;
                case "le":
                    _until = Min(_until, at);
                    break;
                default:
                    _from = Max(_from, at);
                    _until = Min(_until, at);
                    break;
            }

            return true;
        }

        private static HashSet<T> Intersect<T>(HashSet<T>? current, HashSet<T> next)
        {
            if (current is null)
            {
                return next;
            }

            current.IntersectWith(next);
            return current;
        }

        private static DateTimeOffset Max(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

        private static DateTimeOffset Min(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;
    }

    private sealed class Reader(string text)
    {
        private int _position;

        public bool AtEnd => _position >= text.Length;

        public string Rest => text[_position..];

        public bool TryReadSeparator()
        {
            if (!AtEnd && text[_position] == ':')
            {
                _position++;
                return true;
            }

            return false;
        }

        public bool TryReadClause(out string op, out string field, out IReadOnlyList<string> values, out string? error)
        {
            values = [];
            field = string.Empty;
            op = ReadName();
            if (op.Length == 0)
            {
                error = AtEnd ? "A clause is missing after ':'." : $"Expected an operator at '{Rest}'.";
                return false;
            }

            if (!Expect('(', out error))
            {
                return false;
            }

            field = ReadName();
            if (field.Length == 0)
            {
                error = $"Expected a field name in '{op}(…)'.";
                return false;
            }

            if (!Expect(',', out error))
            {
                return false;
            }

            var list = new List<string>();
            while (true)
            {
                if (!TryReadValue(out var value, out error))
                {
                    return false;
                }

                list.Add(value);
                if (AtEnd)
                {
                    error = $"'{op}({field},…' is missing its ')'.";
                    return false;
                }

                var next = text[_position++];
                if (next == ')')
                {
                    break;
                }

                if (next != ',')
                {
                    error = $"Unexpected '{next}' in '{op}({field},…)'.";
                    return false;
                }
            }

            values = list;
            return true;
        }

        private string ReadName()
        {
            var start = _position;
            while (!AtEnd && (char.IsAsciiLetterLower(text[_position]) || text[_position] == '_'))
            {
                _position++;
            }

            return text[start.._position];
        }

        private bool Expect(char expected, out string? error)
        {
            if (!AtEnd && text[_position] == expected)
            {
                _position++;
                error = null;
                return true;
            }

            error = AtEnd ? $"Expected '{expected}' at the end of the filter." : $"Expected '{expected}' at '{Rest}'.";
            return false;
        }

        private bool TryReadValue(out string value, out string? error)
        {
            error = null;
            if (!AtEnd && text[_position] == '"')
            {
                var quoted = new System.Text.StringBuilder();
                _position++;
                while (true)
                {
                    if (AtEnd)
                    {
                        value = string.Empty;
                        error = "A quoted value is missing its closing '\"'.";
                        return false;
                    }

                    var c = text[_position++];
                    if (c == '"')
                    {
                        if (!AtEnd && text[_position] == '"')
                        {
                            quoted.Append('"');
                            _position++;
                            continue;
                        }

                        break;
                    }

                    quoted.Append(c);
                }

                value = quoted.ToString();
                return true;
            }

            var start = _position;
            while (!AtEnd && text[_position] is not (',' or ')' or '(' or '"'))
            {
                _position++;
            }

            value = text[start.._position].Trim();
            if (value.Length == 0)
            {
                error = "A value is empty; quote it (\"\") to match an empty string.";
                return false;
            }

            return true;
        }
    }
}
