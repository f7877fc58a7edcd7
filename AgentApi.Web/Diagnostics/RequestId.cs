namespace AgentApi.Web.Diagnostics;

/// <summary>The <c>X-Request-ID</c> rules: a caller's ID is kept when it is sane (≤ 64 chars of <c>[A-Za-z0-9._-]</c>), otherwise a new one is made.</summary>
internal static class RequestId
{
    public const string HeaderName = "X-Request-ID";
    public const int MaxLength = 64;

    public static string FromHeaderOrNew(string? header) => IsSane(header) ? header! : Guid.CreateVersion7().ToString("N");

    public static bool IsSane(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
