namespace AgentApi.Web.Hosting;

/// <summary>How an environment variable's value is written.</summary>
internal enum ValueFormat
{
    Text,

    /// <summary>An integer, such as <c>3</c>.</summary>
    WholeNumber,

    /// <summary>A finite number, fractions and exponents allowed (<c>0.5</c>, <c>1e3</c>); durations are numbers in the unit their name says.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c> (also <c>1</c>/<c>0</c>, <c>yes</c>/<c>no</c>), in any case.</summary>
    Boolean,
}
