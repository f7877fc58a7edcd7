using AgentApi.Core.Configuration;
using Microsoft.Extensions.Options;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>Model ids an SDK can send and a log can show, and two of them: each is one way through the pipeline.</summary>
internal sealed class OpenAICompatibleOptionsValidator(ISettingNames names) : IValidateOptions<OpenAICompatibleOptions>
{
    private const int MaxModelIdLength = 64;

    public ValidateOptionsResult Validate(string? name, OpenAICompatibleOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        CheckId(result, options.Model, nameof(OpenAICompatibleOptions.Model));
        CheckId(result, options.DirectModel, nameof(OpenAICompatibleOptions.DirectModel));
        if (string.Equals(options.Model, options.DirectModel, StringComparison.Ordinal))
        {
            result.AddError($"{NameOf(nameof(OpenAICompatibleOptions.Model))} and {NameOf(nameof(OpenAICompatibleOptions.DirectModel))} must differ: each id is one way through the pipeline.");
        }

        return result.Build();
    }

    private void CheckId(ValidateOptionsResultBuilder result, string? id, string property)
    {
        if (id is null || id.Length is 0 or > MaxModelIdLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/'))
        {
            result.AddError($"{NameOf(property)} must be 1 to {MaxModelIdLength} characters of letters, digits and - _ . : /");
        }
    }

    private string NameOf(string property) => names.NameOf(ConfigurationPath.Combine(OpenAICompatibleOptions.Section, property));
}
