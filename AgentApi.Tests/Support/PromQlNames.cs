namespace AgentApi.Tests.Support;

/// <summary>
/// The metric names and label names a PromQL expression uses, read by a small scanner rather than a full parser:
/// selectors (<c>name{label="…"}</c>) with the labels they match on, and the labels of grouping and matching clauses
/// (<c>by</c>, <c>without</c>, <c>on</c>, <c>ignoring</c>, <c>group_left</c>, <c>group_right</c>). Strings, ranges
/// (<c>[5m]</c>, <c>[$__rate_interval]</c>), numbers and function names are skipped.
/// </summary>
internal sealed class PromQlNames
{
    private static readonly HashSet<string> ClauseKeywords = new(StringComparer.Ordinal) { "by", "without", "on", "ignoring", "group_left", "group_right" };
    private static readonly HashSet<string> OtherKeywords = new(StringComparer.OrdinalIgnoreCase) { "and", "or", "unless", "bool", "offset", "atan2", "inf", "nan" };

    private readonly string _text;
    private int _at;

    private PromQlNames(string text) => _text = text;

    /// <summary>Each selector's metric name with the label names it matches on (<c>__name__</c> left out).</summary>
    public List<(string Metric, List<string> Labels)> Selectors { get; } = [];

    /// <summary>The labels named in <c>by (…)</c>, <c>on (…)</c> and the other clauses.</summary>
    public List<string> ClauseLabels { get; } = [];

    /// <summary>The labels an aggregation keeps (<c>by (…)</c> only).</summary>
    public List<string> ByLabels { get; } = [];

    public static PromQlNames Of(string expression)
    {
        var names = new PromQlNames(expression);
        names.Scan();
        return names;
    }

    private void Scan()
    {
        while (SkipSpace())
        {
            var c = _text[_at];
            if (c is '"' or '\'' or '`')
            {
                SkipString();
            }
            else if (c == '#')
            {
                _at = _text.IndexOf('\n', _at) is var end and >= 0 ? end : _text.Length;
            }
            else if (c == '[')
            {
                _at = _text.IndexOf(']', _at) is var close and >= 0 ? close + 1 : _text.Length;
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && _at + 1 < _text.Length && char.IsAsciiDigit(_text[_at + 1])))
            {
                // A number (0.05, 1e-3) or a duration (5m): its first character, then digits, letters, points and an exponent's sign.
                _at++;
                while (_at < _text.Length && (char.IsAsciiLetterOrDigit(_text[_at]) || _text[_at] == '.' || (_text[_at] is '+' or '-' && _text[_at - 1] is 'e' or 'E')))
                {
                    _at++;
                }
            }
            else if (c == '{')
            {
                // A selector without a name ({__name__=~"…"}): its labels belong to no one metric.
                Matchers();
            }
            else if (char.IsAsciiLetter(c) || c is '_' or ':')
            {
                Identifier(Word());
            }
            else
            {
                _at++;
            }
        }
    }

    private void Identifier(string word)
    {
        var followedByParenthesis = SkipSpace() && _text[_at] == '(';
        if (ClauseKeywords.Contains(word))
        {
            if (followedByParenthesis)
            {
                var labels = LabelList();
                ClauseLabels.AddRange(labels);
                if (word == "by")
                {
                    ByLabels.AddRange(labels);
                }
            }

            return;
        }

        if (followedByParenthesis || OtherKeywords.Contains(word) || FollowedByGrouping())
        {
            return; // a function or an aggregation (sum(…), sum by (…) (…)); its arguments are scanned as they come
        }

        var matched = SkipSpace() && _text[_at] == '{' ? Matchers() : [];
        Selectors.Add((word, matched));
    }

    private bool FollowedByGrouping()
    {
        var start = _at;
        var next = Word();
        _at = start;
        return next is "by" or "without";
    }

    private List<string> LabelList()
    {
        var close = _text.IndexOf(')', _at);
        var labels = _text[(_at + 1)..close].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        _at = close + 1;
        return labels;
    }

    private List<string> Matchers()
    {
        var labels = new List<string>();
        _at++; // {
        while (SkipSpace() && _text[_at] != '}')
        {
            if (char.IsAsciiLetter(_text[_at]) || _text[_at] == '_')
            {
                var label = Word();
                if (label != "__name__")
                {
                    labels.Add(label);
                }
            }
            else if (_text[_at] is '"' or '\'' or '`')
            {
                SkipString();
            }
            else
            {
                _at++; // =, !=, =~, !~ and commas
            }
        }

        _at++; // }
        return labels;
    }

    private string Word()
    {
        var start = _at;
        while (_at < _text.Length && (char.IsAsciiLetterOrDigit(_text[_at]) || _text[_at] is '_' or ':'))
        {
            _at++;
        }

        return _text[start.._at];
    }

    private void SkipString()
    {
        var quote = _text[_at++];
        while (_at < _text.Length && _text[_at] != quote)
        {
            _at += _text[_at] == '\\' && quote != '`' ? 2 : 1;
        }

        _at++;
    }

    private bool SkipSpace()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
        {
            _at++;
        }

        return _at < _text.Length;
    }
}
