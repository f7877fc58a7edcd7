// Runs one scenario of the official openai npm client against AgentApi's /v1 and prints one JSON line with what
// happened. AgentApi.Tests (OpenAINodeSdkTests) starts the app and the fakes, runs this with node, and checks the
// line and what the fakes received. Usage: AGENTAPI_URL=http://127.0.0.1:8000 [AGENTAPI_KEY=…] node scenario.mjs NAME
import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: `${process.env.AGENTAPI_URL}/v1`,
  apiKey: process.env.AGENTAPI_KEY ?? 'no-key',
  // The SDK's defaults: two retries (three tries), a 10-minute timeout.
});

// The application's tool, as an agent defines it: strict, so its arguments always match the schema.
const weatherTools = [{
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Gets the current weather in a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string', description: 'The city, e.g. Paris' } },
      required: ['city'],
      additionalProperties: false,
    },
    strict: true,
  },
}];

const getWeather = ({ city }) => `It is 21 degrees and sunny in ${city}.`;

const scenarios = {
  // One create() as an application would make it, with the SDK's own retries on.
  async create() {
    const completion = await client.chat.completions.create({
      model: 'agentapi',
      messages: [{ role: 'user', content: process.env.AGENTAPI_QUESTION ?? 'What is the capital of France?' }],
    });
    return { answer: completion.choices[0].message.content, finishReason: completion.choices[0].finish_reason };
  },

  // An agent's round trip, buffered: the executor calls the tool, the application runs it and sends its result, the
  // executor answers with it. The assistant message goes back as the SDK returned it.
  async tools() {
    const messages = [{ role: 'user', content: process.env.AGENTAPI_QUESTION ?? 'What is the weather in Paris?' }];
    const first = await client.chat.completions.create({ model: 'agentapi', messages, tools: weatherTools });
    const call = first.choices[0].message.tool_calls[0];
    messages.push(first.choices[0].message);
    messages.push({ role: 'tool', tool_call_id: call.id, content: getWeather(JSON.parse(call.function.arguments)) });
    const second = await client.chat.completions.create({ model: 'agentapi', messages, tools: weatherTools });
    return {
      firstFinishReason: first.choices[0].finish_reason,
      firstContent: first.choices[0].message.content,
      toolCallId: call.id,
      toolName: call.function.name,
      toolArguments: call.function.arguments,
      answer: second.choices[0].message.content,
      finishReason: second.choices[0].finish_reason,
    };
  },

  // The same round trip streamed, through the SDK's stream helper, which joins the tool-call pieces and checks the
  // chunks' order as it goes.
  async toolsStream() {
    const messages = [{ role: 'user', content: process.env.AGENTAPI_QUESTION ?? 'What is the weather in Paris?' }];
    const firstStream = client.chat.completions.stream({ model: 'agentapi', messages, tools: weatherTools, stream_options: { include_usage: true } });
    let toolCallChunks = 0;
    for await (const chunk of firstStream) {
      toolCallChunks += chunk.choices[0]?.delta?.tool_calls?.length ?? 0;
    }
    const first = await firstStream.finalChatCompletion();
    const call = first.choices[0].message.tool_calls[0];
    messages.push({ role: 'assistant', content: null, tool_calls: first.choices[0].message.tool_calls });
    messages.push({ role: 'tool', tool_call_id: call.id, content: getWeather(JSON.parse(call.function.arguments)) });
    const secondStream = client.chat.completions.stream({ model: 'agentapi', messages, tools: weatherTools });
    const second = await secondStream.finalChatCompletion();
    return {
      firstFinishReason: first.choices[0].finish_reason,
      toolCallChunks,
      toolCallId: call.id,
      toolName: call.function.name,
      toolArguments: call.function.arguments,
      answer: second.choices[0].message.content,
      finishReason: second.choices[0].finish_reason,
    };
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
