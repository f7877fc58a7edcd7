// Runs one scenario of the official openai npm client against AgentApi's /v1 and prints one JSON line with what
// happened. AgentApi.Tests (OpenAINodeSdkTests) starts the app and the fakes, runs this with node, and checks the
// line and what the fakes received. Usage: AGENTAPI_URL=http://127.0.0.1:8000 [AGENTAPI_KEY=…] node scenario.mjs NAME
import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: `${process.env.AGENTAPI_URL}/v1`,
  apiKey: process.env.AGENTAPI_KEY ?? 'no-key',
  // The SDK's defaults: two retries (three tries), a 10-minute timeout.
});

const scenarios = {
  // One create() as an application would make it, with the SDK's own retries on.
  async create() {
    const completion = await client.chat.completions.create({
      model: 'agentapi',
      messages: [{ role: 'user', content: process.env.AGENTAPI_QUESTION ?? 'What is the capital of France?' }],
    });
    return { answer: completion.choices[0].message.content, finishReason: completion.choices[0].finish_reason };
  },
};

const started = performance.now();
try {
  const result = await scenarios[process.argv[2]]();
  console.log(JSON.stringify({ ok: true, elapsedMs: performance.now() - started, ...result }));
} catch (error) {
  console.log(JSON.stringify({
    ok: false,
    elapsedMs: performance.now() - started,
    status: error.status ?? null,
    code: error.code ?? null,
    shouldRetry: error.headers?.get?.('x-should-retry') ?? null,
    message: String(error.message ?? error),
  }));
}
