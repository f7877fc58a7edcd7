using System.Net.Http.Headers;
using System.Text.Json.Nodes;

// The floor: the same two provider calls as an ask, with nothing around them. Parses the body, asks
// the Gemini fake for a plan, sends its prompt to the OpenAI fake, answers JSON. ASP.NET Core's
// defaults (Server GC, Kestrel), one plain shared HttpClient, Warning-level logging.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();

var gemini = new Uri(app.Configuration["FLOOR_GEMINI_URL"] ?? "http://127.0.0.1:18301/v1beta/models/gemma-3-1b-it:generateContent");
var openAI = new Uri(app.Configuration["FLOOR_OPENAI_URL"] ?? "http://127.0.0.1:18301/v1/chat/completions");
using var http = new HttpClient();

app.MapPost("/api/ask", async (HttpRequest request, CancellationToken cancellationToken) =>
{
    var ask = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
    var query = ask?["query"]?.GetValue<string>() ?? string.Empty;

    var planRequest = new JsonObject { ["contents"] = new JsonArray(new JsonObject { ["role"] = "user", ["parts"] = new JsonArray(new JsonObject { ["text"] = query }) }) };
    var planResponse = await PostAsync(gemini, planRequest, message => message.Headers.Add("x-goog-api-key", "bench-gemini-key"), cancellationToken);
    var plan = JsonNode.Parse(planResponse?["candidates"]?[0]?["content"]?["parts"]?[0]?["text"]?.GetValue<string>() ?? "{}");
    var prompt = plan?["prompt"]?.GetValue<string>() ?? query;

    var chatRequest = new JsonObject { ["model"] = "gpt-4o-mini", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }) };
    var chatResponse = await PostAsync(openAI, chatRequest, message => message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "bench-openai-key"), cancellationToken);
    var answer = chatResponse?["choices"]?[0]?["message"]?["content"]?.GetValue<string>();
    return Results.Json(new JsonObject { ["answer"] = answer, ["route"] = plan?["route"]?.GetValue<string>(), ["cached"] = false });
});

app.Run();

async Task<JsonNode?> PostAsync(Uri uri, JsonObject body, Action<HttpRequestMessage> authorize, CancellationToken cancellationToken)
{
    using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent.Create(body) };
    authorize(message);
    using var response = await http.SendAsync(message, cancellationToken);
    response.EnsureSuccessStatusCode();
    await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
    return await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken);
}
