// A small agent on AgentApi's /v1 with the official openai npm client: the model calls the application's tools until
// it can answer, then a structured answer with a JSON Schema. Nothing here is AgentApi-specific but the base URL and
// the model id: the same code runs against OpenAI. docs/tools.md walks through it.
//
//   cd clients/openai-node && npm ci && AGENTAPI_URL=http://127.0.0.1:8000 npm run --silent agent -- "What is the weather in Paris?"
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';

const client = new OpenAI({
  baseURL: `${process.env.AGENTAPI_URL ?? 'http://127.0.0.1:8000'}/v1`,
  apiKey: process.env.AGENTAPI_KEY ?? 'no-key',
});

// The application's functions, and their descriptions for the model. Strict: the arguments always match the schema.
const tools: ChatCompletionTool[] = [{
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

const implementations: Record<string, (args: { city: string }) => string> = {
  get_weather: ({ city }) => `It is 21 degrees and sunny in ${city}.`,
};

/** Asks until the model answers in text, running each tool it calls and sending back the result. */
async function runAgent(question: string): Promise<string> {
  const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: question }];
  for (let turn = 0; turn < 5; turn++) {
    const completion = await client.chat.completions.create({ model: 'agentapi', messages, tools });
    const message = completion.choices[0].message;
    if (!message.tool_calls?.length) {
      return message.content ?? message.refusal ?? '';
    }

    // The assistant's calls go back verbatim, then one tool message per call, answering it by id.
    messages.push(message);
    for (const call of message.tool_calls) {
      if (call.type !== 'function') continue;
      const result = implementations[call.function.name]?.(JSON.parse(call.function.arguments)) ?? `No tool named ${call.function.name}.`;
      console.error(`tool ${call.function.name}(${call.function.arguments}) -> ${result}`);
      messages.push({ role: 'tool', tool_call_id: call.id, content: result });
    }
  }

  throw new Error('The model kept calling tools.');
}

/** A structured answer: JSON that matches the schema, or the model's refusal. */
async function askStructured(question: string): Promise<unknown> {
  const completion = await client.chat.completions.create({
    model: 'agentapi',
    messages: [{ role: 'user', content: question }],
    response_format: {
      type: 'json_schema',
      json_schema: {
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
  const message = completion.choices[0].message;
  return message.refusal ? { refusal: message.refusal } : JSON.parse(message.content ?? 'null');
}

const question = process.argv[2] ?? 'What is the weather in Paris?';
const answer = await runAgent(question);
const capital = await askStructured('What is the capital of France?');
console.log(JSON.stringify({ answer, capital }));
