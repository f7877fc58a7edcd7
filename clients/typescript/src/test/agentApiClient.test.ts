// Calls a running AgentApi through the NSwag-generated client. The .NET test
// TypeScriptClientTests starts the app against fake providers and passes its address;
// to try it by hand: AGENT_API_BASE_URL=http://127.0.0.1:8000 npm test
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { AgentApiClient, ApiException, ProblemDetails, ValidationProblemDetails } from "../generated/agentApiClient";

const baseUrl = process.env.AGENT_API_BASE_URL;
// The caller key, when the service requires one: the client sends it through the fetch it is given.
const apiKey = process.env.AGENT_API_KEY;

function fetchWithKey(key: string | undefined): { fetch(url: RequestInfo, init?: RequestInit): Promise<Response> } {
  return {
    fetch: (url, init) => {
      const headers = new Headers(init?.headers);
      if (key) headers.set("Authorization", `Bearer ${key}`);
      return fetch(url, { ...init, headers });
    },
  };
}

describe("AgentApiClient", { skip: baseUrl ? false : "AGENT_API_BASE_URL is not set" }, () => {
  // Node has no `window`: the Fetch template needs fetch handed to it.
  const client = new AgentApiClient(baseUrl?.replace(/\/$/, ""), fetchWithKey(apiKey));

  test("ask answers through the orchestrator and executor", async () => {
    const query = `What is the capital of France? (${Date.now()})`;

    const response = await client.ask({ query, cache: false });

    assert.match(response.answer, /Focused: What is the capital of France\?/);
    assert.equal(response.route, "general");
    assert.equal(response.fallback, false);
    assert.equal(response.fallbackReason, null);
    assert.equal(response.orchestrator.provider, "gemini");
    assert.equal(response.executor.provider, "openai");
    assert.ok(response.usage.totalTokens > 0);
    assert.ok(response.requestId.length > 0);
  });

  test("getRoutes lists the route table with one default", async () => {
    const response = await client.getRoutes();

    assert.deepEqual(response.routes.map((r) => r.name), ["general", "coding", "math", "writing", "analysis"]);
    assert.deepEqual(response.routes.filter((r) => r.default).map((r) => r.name), ["general"]);
    assert.ok(response.routes.every((r) => r.model.length > 0 && r.description.length > 0));
  });

  test("getHealth reports both providers", async () => {
    const health = await client.getHealth();

    assert.equal(health.status, "ok");
    assert.deepEqual(health.providers.map((p) => p.role), ["orchestrator", "executor"]);
  });

  test("getReadiness reports every check", async () => {
    const readiness = await client.getReadiness();

    assert.equal(readiness.status, "healthy");
    assert.deepEqual(Object.keys(readiness.checks).sort(), ["cache", "executor", "lifetime", "orchestrator", "warm-up"]);
  });

  test("getRoutes without the key rejects with a 401 problem", { skip: apiKey ? false : "AGENT_API_KEY is not set" }, async () => {
    const anonymous = new AgentApiClient(baseUrl?.replace(/\/$/, ""), fetchWithKey(undefined));

    await assert.rejects(anonymous.getRoutes(), (error: unknown) => {
      assert.ok(ApiException.isApiException(error));
      assert.equal(error.status, 401);
      assert.equal((error.result as ProblemDetails).type, "urn:agentapi:problem:unauthorized");
      return true;
    });
  });

  test("ask with a blank query rejects with ApiException carrying ValidationProblemDetails", async () => {
    await assert.rejects(client.ask({ query: "   " }), (error: unknown) => {
      assert.ok(ApiException.isApiException(error));
      assert.equal(error.status, 400);
      assert.match(String(error.headers["content-type"]), /^application\/problem\+json/);
      const problem = error.result as ValidationProblemDetails;
      assert.equal(problem.type, "urn:agentapi:problem:validation");
      assert.ok(problem.errors.query.length > 0);
      assert.equal(problem.requestId, error.headers["x-request-id"]);
      return true;
    });
  });

  test("ask without the key rejects with ApiException carrying a 401 problem", { skip: apiKey ? false : "AGENT_API_KEY is not set" }, async () => {
    const anonymous = new AgentApiClient(baseUrl?.replace(/\/$/, ""), fetchWithKey(undefined));

    await assert.rejects(anonymous.ask({ query: "Let me in?" }), (error: unknown) => {
      assert.ok(ApiException.isApiException(error));
      assert.equal(error.status, 401);
      assert.equal(error.headers["www-authenticate"], "Bearer");
      assert.equal((error.result as ProblemDetails).type, "urn:agentapi:problem:unauthorized");
      return true;
    });
  });
});
