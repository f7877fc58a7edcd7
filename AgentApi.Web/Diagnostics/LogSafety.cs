using AgentApi.Infrastructure;
using NLog;
using NLog.Config;
using NLog.Layouts;
using NLog.Targets;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// Makes every log target safe once, at start-up, whatever <c>nlog.config</c> declares: each target's layout is
/// wrapped in a <see cref="SafeLogLayout"/> that masks the configured secrets and keeps each event on one line.
/// </summary>
internal static class LogSafety
{
    private static readonly Lock Gate = new();
    private static bool _watching;

    /// <summary>Registers the configured secrets (provider keys, Redis password) and wraps NLog's targets.</summary>
    public static void AddLogSafety(this WebApplicationBuilder builder)
    {
        foreach (var secret in ConfiguredSecrets.Read(builder.Configuration))
        {
            LogSecrets.Process.Register(secret);
        }

        // Later features (callers' API keys) register theirs through this instance.
        builder.Services.AddSingleton(LogSecrets.Process);

        lock (Gate)
        {
            if (!_watching)
            {
                // NLog's configuration is process-wide and may be reloaded: wrap whatever becomes active.
                LogManager.ConfigurationChanged += (_, e) => Wrap(e.ActivatedConfiguration);
                _watching = true;
            }
        }

        Wrap(LogManager.Configuration);
    }

    private static void Wrap(LoggingConfiguration? configuration)
    {
        if (configuration is null)
        {
            return;
        }

        // Targets with the same text layout (the console and the text file) get one wrapper, so each event's
        // line is rendered and redacted once for both.
        var shared = new Dictionary<string, SafeLogLayout>(StringComparer.Ordinal);
        var changed = false;
        foreach (var target in configuration.AllTargets.OfType<TargetWithLayout>())
        {
            if (target.Layout is not SafeLogLayout)
            {
                var text = (target.Layout as SimpleLayout)?.OriginalText;
                if (text is null || !shared.TryGetValue(text, out var safe))
                {
                    safe = new SafeLogLayout(target.Layout, LogSecrets.Process);
                    if (text is not null)
                    {
                        shared[text] = safe;
                    }
                }

                target.Layout = safe;
                changed = true;
            }
        }

        if (changed)
        {
            LogManager.ReconfigExistingLoggers();
        }
    }
}
