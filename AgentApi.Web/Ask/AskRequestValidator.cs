using System.Text.Json;
using AgentApi.Web.Pipeline;
using FluentValidation;

namespace AgentApi.Web.Ask;

internal sealed class AskRequestValidator : AbstractValidator<AskRequest>
{
    public AskRequestValidator()
    {
        RuleFor(r => r.Query)
            .Must(q => !string.IsNullOrWhiteSpace(q)).WithMessage("Query is required and must not be blank.")
            .Must(VisibleText.HasVisibleCharacter).When(r => !string.IsNullOrWhiteSpace(r.Query), ApplyConditionTo.CurrentValidator)
                .WithMessage("Query must contain at least one visible character, not only control, zero-width or direction characters.")
            .MaximumLength(AskRequest.MaxQueryLength).WithMessage($"Query must be at most {AskRequest.MaxQueryLength} characters; it has {{TotalLength}}.");

        RuleFor(r => r.Context)
            .Must(VisibleText.HasVisibleCharacter).When(r => !string.IsNullOrWhiteSpace(r.Context), ApplyConditionTo.CurrentValidator)
                .WithMessage("Context must contain at least one visible character when given, not only control, zero-width or direction characters.")
            .MaximumLength(AskRequest.MaxContextLength).WithMessage($"Context must be at most {AskRequest.MaxContextLength} characters; it has {{TotalLength}}.");

        // The executor answers it in strict structured-outputs mode: a schema that breaks its rules is the caller's to fix.
        RuleFor(r => r.ResponseSchema).Custom((schema, context) =>
        {
            if (schema is not { ValueKind: not JsonValueKind.Null } value)
            {
                return;
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                context.AddFailure("ResponseSchema must be a JSON Schema object, e.g. {\"type\": \"object\", \"properties\": {…}}.");
            }
            else if (StrictJsonSchema.Problem(value) is { } problem)
            {
                context.AddFailure($"ResponseSchema is answered in strict mode, which requires every object to list all its properties in 'required' and to set 'additionalProperties': false; {problem}");
            }
        });
    }
}
