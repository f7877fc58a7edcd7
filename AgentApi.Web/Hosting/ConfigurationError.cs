using System.Reflection;
using AgentApi.Core.Configuration;
using AgentApi.Core.Routing;
using Microsoft.Extensions.Options;
using NLog;

namespace AgentApi.Web.Hosting;

/// <summary>
/// A setting or file the service cannot start with: a malformed value (<see cref="InvalidSettingException"/>), a rule
/// an options class breaks (<see cref="OptionsValidationException"/>) or a broken route table (<see cref="RouteTableException"/>).
/// Their messages name the variable or file and the problem. Run as a program, the process ends with that one line and
/// <see cref="ExitCode"/>: a stack trace would only bury it. Run by another host (the tests' <c>WebApplicationFactory</c>),
/// the exception goes to that host as it is.
/// </summary>
internal static class ConfigurationError
{
    public const int ExitCode = 1;

    private const string LoggerName = "AgentApi.Web.Hosting.Startup";

    /// <summary>Whether <paramref name="exception"/> is a configuration error and this process runs AgentApi as its program.</summary>
    public static bool EndsProcess(Exception exception) =>
        Assembly.GetEntryAssembly() == typeof(ConfigurationError).Assembly && Describe(exception) is not null;

    /// <summary>
    /// Writes the one line, through the log when it is set up (console and files), else to standard error (the log
    /// settings themselves were wrong); returns <see cref="ExitCode"/>.
    /// </summary>
    public static int Report(Exception exception)
    {
        var line = $"AgentApi cannot start: {Describe(exception)}";
        if (LogRotation.Applied)
        {
            LogManager.GetLogger(LoggerName).Fatal(line);
            LogManager.Shutdown();
        }
        else
        {
            Console.Error.WriteLine(line);
        }

        return ExitCode;
    }

    /// <summary>The problems <paramref name="exception"/> names, on one line; null when it is not (only) configuration errors.</summary>
    internal static string? Describe(Exception exception) => exception switch
    {
        InvalidSettingException or RouteTableException => exception.Message,
        OptionsValidationException options => string.Join("; ", options.Failures),
        // Several options classes failed their validation at once.
        AggregateException aggregate => aggregate.InnerExceptions.Select(Describe).ToList() is var parts && parts.Count > 0 && parts.All(p => p is not null)
            ? string.Join("; ", parts)
            : null,
        // Thrown while something else was being built (a binder, a factory): the setting is still the cause.
        { InnerException: { } inner } => Describe(inner),
        _ => null,
    };
}
