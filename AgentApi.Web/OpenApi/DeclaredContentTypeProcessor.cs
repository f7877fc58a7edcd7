using System.Globalization;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace AgentApi.Web.OpenApi;

/// <summary>
/// Writes each response under the media type its <c>[ProducesResponseType(..., contentType)]</c> declares:
/// NSwag files every response under <c>application/json</c>, so problem responses would otherwise lose
/// <c>application/problem+json</c>.
/// </summary>
internal sealed class DeclaredContentTypeProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        if (context is not AspNetCoreOperationProcessorContext aspNetCore)
        {
            return true;
        }

        foreach (var declared in aspNetCore.ApiDescription.SupportedResponseTypes)
        {
            var status = declared.StatusCode.ToString(CultureInfo.InvariantCulture);
            var mediaTypes = declared.ApiResponseFormats.Select(f => f.MediaType).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (mediaTypes.Count == 0
                || mediaTypes.Contains("application/json", StringComparer.OrdinalIgnoreCase)
                || !context.OperationDescription.Operation.Responses.TryGetValue(status, out var response)
                || !response.Content.TryGetValue("application/json", out var media))
            {
                continue;
            }

            response.Content.Clear();
            foreach (var mediaType in mediaTypes)
            {
                response.Content[mediaType] = media;
            }
        }

        return true;
    }
}
