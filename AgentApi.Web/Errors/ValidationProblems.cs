using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace AgentApi.Web.Errors;

/// <summary>
/// Turns model-state errors (malformed JSON, wrong types, unknown fields, FluentValidation failures)
/// into one 400 problem with errors keyed by the JSON field name (<c>query</c>, not <c>$.query</c> or <c>Query</c>;
/// a field name is the caller's, of any length, so it is cut like a logged string).
/// </summary>
internal static class ValidationProblems
{
    public static IActionResult Create(ActionContext context)
    {
        var errors = new ModelStateDictionary();
        foreach (var (key, entry) in context.ModelState)
        {
            var field = FieldName(key);
            foreach (var error in entry.Errors)
            {
                // MVC adds "The request field is required." next to the real JSON error; it says nothing new.
                if (field.Length == 0 && entry.Errors.Count > 0 && context.ModelState.Count > 1 && error.ErrorMessage.Contains("field is required", StringComparison.Ordinal))
                {
                    continue;
                }

                errors.AddModelError(field.Length == 0 ? "body" : field, Message(error));
            }
        }

        // HttpValidationProblemDetails, not MVC's ValidationProblemDetails: the problem details service writes a type its
        // JSON context knows, and MVC's subclass was written as a plain problem, without its errors.
        var problem = new HttpValidationProblemDetails(errors.ToDictionary(entry => entry.Key, entry => entry.Value!.Errors.Select(error => error.ErrorMessage).ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid",
            Type = ProblemTypes.Validation,
            Detail = "See errors for what to fix in each field.",
        };
        return new ProblemResult(problem);
    }

    /// <summary>Written by the problem details service like every other problem (<see cref="ProblemJsonWriter"/>, which writes it as its own type, errors included).</summary>
    private sealed class ProblemResult(HttpValidationProblemDetails problem) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            var http = context.HttpContext;
            http.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
            return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }).AsTask();
        }
    }

    private static string FieldName(string key)
    {
        var name = key.StartsWith("$.", StringComparison.Ordinal) ? key[2..] : key == "$" || key == "request" ? string.Empty : key;
        return name.Length > 0 ? Diagnostics.LogText.Cut(char.ToLowerInvariant(name[0]) + name[1..]) : name;
    }

    private static string Message(ModelError error)
    {
        var message = error.ErrorMessage;
        if (string.IsNullOrEmpty(message))
        {
            return error.Exception is null ? "Invalid value." : "The JSON is malformed or has a value of the wrong type.";
        }

        // System.Text.Json messages name .NET types and reader positions; say what the caller must fix instead.
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return "Unknown field.";
        }

        if (message.StartsWith("Duplicate property", StringComparison.Ordinal))
        {
            return "This key appears more than once; send it once.";
        }

        if (message.Contains("could not be converted to System.String", StringComparison.Ordinal))
        {
            return "Must be a string.";
        }

        if (message.Contains("System.Boolean", StringComparison.Ordinal))
        {
            return "Must be true or false.";
        }

        var path = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return path > 0 ? $"Malformed JSON: {message[..path]}" : message;
    }
}
