using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AgentApi.Core.Caching;

/// <summary>
/// The cache key recipe: normalised query and context, both model ids and the pipeline version
/// (prompt templates and output limit), hashed with SHA-256 so no user text is stored as a key (in memory or in Redis).
/// </summary>
public static class AnswerCacheKey
{
    /// <summary>
    /// Starts every key. Bump the version when the stored answer's shape changes, so replicas never
    /// read answers written in an older shape from Redis (where keys also get the <c>agentapi:</c> instance prefix).
    /// </summary>
    public const string Prefix = "answer:v1:";

    // scope: the caller the answer belongs to (CACHE_SCOPE=caller), or null for an answer every caller shares.
    // Only a scoped key has the field, so unscoped keys are the ones written before scopes existed.
    public static string Create(string query, string? context, string orchestratorModel, string executorModel, string pipelineVersion, string? scope = null)
    {
        // Each field is prefixed with its length, so no text (not even one containing a separator
        // character) can move across a field boundary: ("ab", "c") and ("a", "bc") never collide.
        var builder = new StringBuilder();
        foreach (var field in (ReadOnlySpan<string>)[Normalize(query), Normalize(context ?? string.Empty), orchestratorModel, executorModel, pipelineVersion])
        {
            builder.Append(CultureInfo.InvariantCulture, $"{field.Length}:").Append(field);
        }

        if (scope is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $"scope{scope.Length}:").Append(scope);
        }

        var material = builder.ToString();
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
