using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AgentApi.Core.Configuration;

namespace AgentApi.Core.Callers;

/// <summary>
/// Reads caller keys from <c>AGENTAPI_API_KEYS</c> (comma-separated keys) and <c>AGENTAPI_API_KEYS_FILE</c>
/// (<c>name:sha256-hex-of-key</c> per line), and finds the caller a presented key belongs to. Only hashes are
/// kept; errors name the variable and the line, never a value.
/// </summary>
public static class CallerKeys
{
    /// <summary>Shorter keys can be guessed; generate them with <c>openssl rand -hex 32</c>.</summary>
    public const int MinKeyLength = 16;

    /// <summary>Longer presented keys are not hashed: no configured key is that long.</summary>
    public const int MaxKeyLength = 256;

    private const int ShortHashLength = 8;

    public static IReadOnlyList<CallerKey> FromList(string? list, string setting)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return [];
        }

        var keys = new List<CallerKey>();
        foreach (var key in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (key.Length is < MinKeyLength or > MaxKeyLength || key.Any(char.IsWhiteSpace))
            {
                throw new InvalidSettingException(setting,
                    $"must be comma-separated keys of {MinKeyLength} to {MaxKeyLength} characters without spaces (e.g. from 'openssl rand -hex 32').");
            }

            var hash = Hash(key);
            keys.Add(new CallerKey("key-" + Convert.ToHexStringLower(hash)[..ShortHashLength], hash));
        }

        return keys;
    }

    /// <summary>Lines <c>name:sha256-hex</c>; blank lines and lines starting with <c>#</c> are skipped. One name may have several keys (rotation).</summary>
    public static IReadOnlyList<CallerKey> FromFileLines(IEnumerable<string> lines, string setting)
    {
        var keys = new List<CallerKey>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.LastIndexOf(':');
            var name = colon > 0 ? line[..colon].Trim() : string.Empty;
            var hex = colon > 0 ? line[(colon + 1)..].Trim() : string.Empty;
            if (!IsName(name) || hex.Length != SHA256.HashSizeInBytes * 2 || !hex.All(char.IsAsciiHexDigit))
            {
                throw new InvalidSettingException(setting, string.Create(CultureInfo.InvariantCulture,
                    $"line {number} must be 'name:sha256-hex-of-key': a name of letters, digits, '.', '_' or '-' (at most 64), a colon and 64 hex digits."));
            }

            keys.Add(new CallerKey(name, Convert.FromHexString(hex)));
        }

        return keys;
    }

    /// <summary>
    /// The caller whose key this is, or null. Hashes the presented key and compares it with every configured
    /// hash in constant time, without stopping at a match, so the time taken says nothing about the keys.
    /// </summary>
    public static string? Match(IReadOnlyList<CallerKey> keys, string presented)
    {
        if (presented.Length is 0 or > MaxKeyLength)
        {
            return null;
        }

        var hash = Hash(presented);
        string? match = null;
        foreach (var key in keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Sha256))
            {
                match ??= key.Name;
            }
        }

        return match;
    }

    /// <summary>The line <c>AGENTAPI_API_KEYS_FILE</c> takes for <paramref name="name"/> and <paramref name="key"/>.</summary>
    public static string FileLine(string name, string key) => name + ":" + Convert.ToHexStringLower(Hash(key));

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static bool IsName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
