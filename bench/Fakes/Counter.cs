namespace AgentApi.Bench.Fakes;

internal enum Counter
{
    None,
    Gemini,
    OpenAI,
    Rejected,
}
