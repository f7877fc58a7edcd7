using System.Collections.Concurrent;
using FluentValidation;
using Microsoft.AspNetCore.Mvc.Filters;

namespace AgentApi.Web.Errors;

/// <summary>
/// Validates each bound action argument with its FluentValidation validator, if it has one, and adds the failures
/// to model state keyed by property, where <see cref="ValidationProblems"/> turns them and any binding errors into
/// one 400. It runs just before [ApiController]'s automatic 400 (order -2000), so the answer is the one
/// FluentValidation's MVC auto-validation gave; that adapter, which FluentValidation no longer recommends, went
/// through MVC's model-validation visitor and looked up attributes and validators by reflection on every request:
/// about 8 % of a cache hit's CPU (docs/decisions/0010). Arguments that failed to bind are not there to validate.
/// </summary>
internal sealed class RequestValidationFilter(IServiceProvider services) : IAsyncActionFilter
{
    /// <summary>The filter's place (MVC orders filters by the registration's order, not the filter's).</summary>
    public const int Order = -2001;

    private readonly ConcurrentDictionary<Type, IValidator?> _validators = new();

    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        foreach (var argument in context.ActionArguments.Values)
        {
            if (argument is not null && ValidatorFor(argument.GetType()) is { } validator)
            {
                var result = await validator.ValidateAsync(new ValidationContext<object>(argument), context.HttpContext.RequestAborted);
                foreach (var failure in result.Errors)
                {
                    context.ModelState.AddModelError(failure.PropertyName, failure.ErrorMessage);
                }
            }
        }

        await next();
    }

    private IValidator? ValidatorFor(Type type) => _validators.GetOrAdd(type, static (t, provider) =>
        provider.GetService(typeof(IValidator<>).MakeGenericType(t)) as IValidator, services);
}
