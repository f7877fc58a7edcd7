// DOCS-BEGIN typescript
/** POSTs to /api/ask/stream (with the caller key, when given) and yields each event's name and JSON data as it arrives. */
export async function* readAskStream(baseUrl: string, body: unknown, apiKey?: string, signal?: AbortSignal): AsyncGenerator<{ event: string; data: any }> {
  const response = await fetch(`${baseUrl}/api/ask/stream`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}) },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok || !response.body) {
    throw new Error(`${response.status}: ${await response.text()}`); // problem+json, as from /api/ask
  }

  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) event = line.slice("event: ".length);
        else if (line.startsWith("data: ")) data += line.slice("data: ".length);
      }
      if (data) yield { event, data: JSON.parse(data) }; // a block of ':' lines is a heartbeat
    }
  }
}
// DOCS-END typescript
