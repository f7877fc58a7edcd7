// The fetch reader docs/streaming.md shows (src/askStream.ts, copied there verbatim) against the running app.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readAskStream } from "../askStream";

const baseUrl = process.env.AGENT_API_BASE_URL?.replace(/\/$/, "");

describe("readAskStream", { skip: baseUrl ? false : "AGENT_API_BASE_URL is not set" }, () => {
  test("reads plan, deltas and done; the deltas joined are the answer", async () => {
    const query = `Stream the capital of France (${Date.now()})`;
    const events: { event: string; data: any }[] = [];

    for await (const item of readAskStream(baseUrl!, { query, cache: false }, process.env.AGENT_API_KEY)) {
      events.push(item);
    }

    assert.equal(events[0].event, "plan");
    assert.equal(events[0].data.route, "general");
    assert.equal(events.at(-1)!.event, "done");
    assert.ok(events.at(-1)!.data.usage.totalTokens > 0);
    const deltas = events.filter((e) => e.event === "delta");
    assert.ok(deltas.length > 1);
    assert.match(deltas.map((e) => e.data.text).join(""), /^echo: Focused: Stream the capital of France/);
  });

  test("a blank query rejects with the validation problem", async () => {
    await assert.rejects(readAskStream(baseUrl!, { query: " " }, process.env.AGENT_API_KEY).next(), /400: .*urn:agentapi:problem:validation/);
  });
});
