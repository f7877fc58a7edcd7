using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AgentApi.Core.Ask;
using AgentApi.Core.Providers;

namespace AgentApi.Core.Caching;

/// <summary>
/// The cache key recipe: normalised query and context, both model ids and the pipeline version
/// (prompt templates and output limit), and for a conversation all of it, hashed with SHA-256 so no user text is stored as a key (in memory or in Redis).
/// </summary>
public static class AnswerCacheKey
{
    /// <summary>
    /// Starts every key. Bump the version when the stored answer's shape changes, so replicas never
    /// read answers written in an older shape from Redis (where keys also get the <c>agentapi:</c> instance prefix).
    /// v2: answers carry tool calls, a refusal and the finish reason.
    /// </summary>
    public const string Prefix = "answer:v2:";

    // scope: the caller the answer belongs to (CACHE_SCOPE=caller), or null for an answer every caller shares.
    // Only a scoped key has the field, so unscoped keys are the ones written before scopes existed.
    public static string Create(string query, string? context, string orchestratorModel, string executorModel, string pipelineVersion, string? scope = null) =>
        Hash(Fields(query, context, orchestratorModel, executorModel, pipelineVersion, scope).ToString());

    /// <summary>
    /// The key of an ask. A single question (<see cref="AskQuery.IsConversation"/> false) keeps the key above; a
    /// conversation adds <paramref name="conversationVersion"/> (how much history each model sees), whether the
    /// orchestrator runs, the caller's instructions, temperature, output limit, every earlier turn whole (tool calls and
    /// results with their ids), the tools, the tool choice, <c>parallel_tool_calls</c> and the response format:
    /// two conversations share an answer only when all of it is the same.
    /// </summary>
    public static string Create(AskQuery query, string orchestratorModel, string executorModel, string pipelineVersion, string conversationVersion)
    {
        var builder = Fields(query.Query, query.Context, orchestratorModel, executorModel, pipelineVersion, query.CacheScope);
        if (!query.IsConversation)
        {
            return Hash(builder.ToString());
        }

        Append(builder, conversationVersion);
        Append(builder, query.Orchestrate ? "orchestrated" : "direct");
        Append(builder, Normalize(query.Instructions ?? string.Empty));
        Append(builder, query.Temperature?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty);
        Append(builder, query.MaxOutputTokens?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
        var sampling = query.Sampling;
        Append(builder, sampling.TopP?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty);
        Append(builder, sampling.Seed?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
        Append(builder, sampling.PresencePenalty?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty);
        Append(builder, sampling.FrequencyPenalty?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty);
        Append(builder, (sampling.Stop?.Count ?? 0).ToString(CultureInfo.InvariantCulture));
        foreach (var stop in sampling.Stop ?? [])
        {
            Append(builder, stop);
        }

        AppendTurns(builder, query.History);
        AppendTurns(builder, query.ToolTurns);
        AppendTools(builder, query.Tools);
        AppendFormat(builder, query.ResponseFormat);
        return Hash(builder.ToString());
    }

    private static void AppendTurns(StringBuilder builder, IReadOnlyList<ChatTurn> turns)
    {
        Append(builder, turns.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var turn in turns)
        {
            Append(builder, turn.RoleName);
            Append(builder, Normalize(turn.Text));
            if (!turn.IsToolExchange)
            {
                continue;
            }

            // Ids and arguments verbatim: a tool exchange is never reworded, so it is never normalised either.
            Append(builder, turn.ToolCallId ?? string.Empty);
            Append(builder, (turn.ToolCalls?.Count ?? 0).ToString(CultureInfo.InvariantCulture));
            foreach (var call in turn.ToolCalls ?? [])
            {
                Append(builder, call.Id);
                Append(builder, call.Name);
                Append(builder, call.Arguments);
            }
        }
    }

    private static void AppendTools(StringBuilder builder, ToolSet? tools)
    {
        Append(builder, tools is null ? "no-tools" : tools.Tools.Count.ToString(CultureInfo.InvariantCulture));
        if (tools is null)
        {
            return;
        }

        foreach (var tool in tools.Tools)
        {
            Append(builder, tool.Name);
            Append(builder, tool.Description ?? string.Empty);
            Append(builder, tool.Parameters ?? string.Empty);
            Append(builder, Flag(tool.Strict));
        }

        Append(builder, tools.Choice?.ToString() ?? string.Empty);
        Append(builder, Flag(tools.ParallelToolCalls));
    }

    private static string Flag(bool? value) => value switch
    {
        true => "true",
        false => "false",
        null => string.Empty,
    };

    private static void AppendFormat(StringBuilder builder, ResponseFormat? format)
    {
        Append(builder, format?.Kind.ToString() ?? "no-format");
        if (format is not null)
        {
            Append(builder, format.Name ?? string.Empty);
            Append(builder, format.Schema ?? string.Empty);
            Append(builder, Flag(format.Strict));
            Append(builder, format.Description ?? string.Empty);
        }
    }

    private static StringBuilder Fields(string query, string? context, string orchestratorModel, string executorModel, string pipelineVersion, string? scope)
    {
        var builder = new StringBuilder();
        foreach (var field in (ReadOnlySpan<string>)[Normalize(query), Normalize(context ?? string.Empty), orchestratorModel, executorModel, pipelineVersion])
        {
            Append(builder, field);
        }

        if (scope is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $"scope{scope.Length}:").Append(scope);
        }

        return builder;
    }

    // Each field is prefixed with its length, so no text (not even one containing a separator
    // character) can move across a field boundary: ("ab", "c") and ("a", "bc") never collide.
    private static void Append(StringBuilder builder, string field) =>
        builder.Append(CultureInfo.InvariantCulture, $"{field.Length}:").Append(field);

    private static string Hash(string material)
    {
        var byteCount = Encoding.UTF8.GetByteCount(material);
        var buffer = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            var written = Encoding.UTF8.GetBytes(material, buffer);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, written), hash);
            return Prefix + Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Trims, collapses runs of white space to one space and applies Unicode NFC; case is kept.</summary>
    public static string Normalize(string text)
    {
        var normalized = text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        var builder = new StringBuilder(normalized.Length);
        var pendingSpace = false;
        foreach (var c in normalized)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
