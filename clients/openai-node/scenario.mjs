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

// The same tool as the Responses API defines it: flat, not under `function`.
const weatherResponseTools = [{ type: 'function', ...weatherTools[0].function }];

const question = () => process.env.AGENTAPI_QUESTION ?? 'What is the capital of France?';

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

  // The Responses API: one create, as an application makes it.
  async responsesCreate() {
    const response = await client.responses.create({ model: 'agentapi', input: question() });
    return { id: response.id, status: response.status, answer: response.output_text, totalTokens: response.usage.total_tokens };
  },

  // Streamed through the SDK's stream helper, which accumulates the events by their output and content indexes as it
  // goes: each event's type and number, and the final response.
  async responsesStream() {
    const stream = client.responses.stream({ model: 'agentapi', input: question() });
    const events = [];
    for await (const event of stream) {
      events.push({ type: event.type, sequence: event.sequence_number, delta: event.type === 'response.output_text.delta' ? event.delta : null });
    }
    const final = await stream.finalResponse();
    return { events, answer: final.output_text, status: final.status };
  },

  // A conversation kept by the server: three turns chained by previous_response_id, each sending only its new turn.
  async responsesChain() {
    const first = await client.responses.create({ model: 'agentapi', input: process.env.AGENTAPI_FACT });
    const second = await client.responses.create({ model: 'agentapi', input: 'I also like tea.', previous_response_id: first.id });
    const third = await client.responses.create({ model: 'agentapi', input: 'What is my cat called?', previous_response_id: second.id });
    return { ids: [first.id, second.id, third.id], previous: third.previous_response_id, answer: third.output_text };
  },

  // An agent's round trip: the executor calls the tool, the application runs it and sends only its output, on the
  // response that made the call.
  async responsesTools() {
    const first = await client.responses.create({ model: 'agentapi', input: question(), tools: weatherResponseTools });
    const call = first.output.find((item) => item.type === 'function_call');
    const second = await client.responses.create({
      model: 'agentapi',
      previous_response_id: first.id,
      tools: weatherResponseTools,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: getWeather(JSON.parse(call.arguments)) }],
    });
    return { toolName: call.name, toolArguments: call.arguments, toolCallId: call.call_id, answer: second.output_text, status: second.status };
  },

  // Structured output: a strict JSON Schema as text.format, the answer parsed by the SDK's parse helper.
  async responsesJsonSchema() {
    const response = await client.responses.parse({
      model: 'agentapi',
      input: question(),
      text: {
        format: {
          type: 'json_schema',
          name: 'capital',
          strict: true,
          schema: {
            type: 'object',
            properties: { city: { type: 'string' }, country: { type: 'string' } },
            required: ['city', 'country'],
            additionalProperties: false,
          },
        },
      },
    });
    return { parsed: response.output_parsed };
  },

  // A stored response: retrieved, its input items listed (the SDK pages through them), deleted, then gone.
  async responsesStored() {
    const created = await client.responses.create({ model: 'agentapi', input: question() });
    const retrieved = await client.responses.retrieve(created.id);
    const inputItems = [];
    for await (const item of client.responses.inputItems.list(created.id, { limit: 1 })) {
      inputItems.push(item);
    }
    await client.responses.delete(created.id);
    let statusAfterDelete = null;
    try {
      await client.responses.retrieve(created.id);
    } catch (error) {
      statusAfterDelete = error.status;
    }
    return { id: created.id, retrievedId: retrieved.id, retrievedAnswer: retrieved.output_text, inputItems: inputItems.map((item) => item.content[0].text), statusAfterDelete };
  },

  // One response, retrieved by id (with this process's key).
  async responsesRetrieve() {
    const response = await client.responses.retrieve(process.env.AGENTAPI_RESPONSE_ID);
    return { id: response.id };
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
