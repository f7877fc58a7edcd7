using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;
using OpenAI.Responses;

namespace AgentApi.Tests.Support;

/// <summary>The official OpenAI .NET SDK pointed at the app under test, as a caller would: base URL <c>…/v1</c> and a key.</summary>
public static class OpenAISdk
{
    public const string ApiKey = "sk-any-key";

    /// <summary>Retries off, so a test sees the gateway's first answer and takes no backoff time.</summary>
    public static OpenAIClientOptions Options(AgentApiHost host) => new()
    {
        Endpoint = new Uri(host.BaseUrl, "/v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = TimeSpan.FromSeconds(60),
    };

    public static ChatClient Chat(AgentApiHost host, string model = "agentapi", string apiKey = ApiKey) =>
        new(model, new ApiKeyCredential(apiKey), Options(host));

    public static OpenAIModelClient Models(AgentApiHost host, string apiKey = ApiKey) =>
        new(new ApiKeyCredential(apiKey), Options(host));

    // The SDK marks its Responses API types as for evaluation (OPENAI001): the API is OpenAI's, AgentApi serves it.
#pragma warning disable OPENAI001
    public static ResponsesClient Responses(AgentApiHost host, string apiKey = ApiKey) => new(new ApiKeyCredential(apiKey), new ResponsesClientOptions
    {
        Endpoint = new Uri(host.BaseUrl, "/v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = TimeSpan.FromSeconds(60),
    });
#pragma warning restore OPENAI001
}
