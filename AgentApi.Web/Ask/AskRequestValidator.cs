using FluentValidation;

namespace AgentApi.Web.Ask;

internal sealed class AskRequestValidator : AbstractValidator<AskRequest>
{
    public AskRequestValidator()
    {
        RuleFor(r => r.Query)
            .Must(q => !string.IsNullOrWhiteSpace(q)).WithMessage("Query is required and must not be blank.")
            .MaximumLength(AskRequest.MaxQueryLength).WithMessage($"Query must be at most {AskRequest.MaxQueryLength} characters; it has {{TotalLength}}.");

        RuleFor(r => r.Context)
            .MaximumLength(AskRequest.MaxContextLength).WithMessage($"Context must be at most {AskRequest.MaxContextLength} characters; it has {{TotalLength}}.");
    }
}
