// A web page on another origin calls the API from a real (headless) Chromium: a query and
// a mutation by `fetch`, with a bearer token (so the browser sends a CORS preflight), and a
// subscription over a WebSocket (the graphql-transport-ws protocol, spoken by hand).
//   node browser_cors.mjs SPEC_JSON
// SPEC: {chromium, pagePort, api, token, query, mutation, variables, subscription}.
// The page is served here, on http://127.0.0.1:PAGE_PORT. Prints one JSON line:
// {query, mutation, event}, each the answer or {error: "…"} if the page could not have it.
import { createServer } from "node:http";
import { chromium } from "playwright-core";

const spec = JSON.parse(process.argv[2]);
const page = createServer((_, response) => {
  response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  response.end("<!doctype html><title>A shop on another origin</title>");
});
await new Promise((resolve) => page.listen(spec.pagePort, "127.0.0.1", resolve));

// Runs in the page: everything it does is subject to the browser's same-origin rules.
async function callTheApi(spec) {
  const failure = (error) => ({ error: `${error.name}: ${error.message}` });
  const post = async (query, variables) => {
    const response = await fetch(`${spec.api}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${spec.token}` },
      body: JSON.stringify({ query, variables }),
    });
    return response.json();
  };
  // Resolves once subscribed (to {next}, a promise of the first event) or refused
  // (to {error}).
  const subscribe = () =>
    new Promise((subscribed) => {
      const socket = new WebSocket(`${spec.api.replace("http", "ws")}/graphql`, [
        "graphql-transport-ws",
      ]);
      let settle = subscribed;
      const send = (message) => socket.send(JSON.stringify(message));
      socket.onopen = () =>
        send({ type: "connection_init", payload: { Authorization: `Bearer ${spec.token}` } });
      socket.onclose = (event) => settle({ error: `closed with ${event.code}` });
      socket.onmessage = async ({ data }) => {
        const message = JSON.parse(data);
        if (message.type === "connection_ack") {
          send({ id: "1", type: "subscribe", payload: { query: spec.subscription } });
          const next = new Promise((resolve) => {
            settle = resolve;
          });
          // Give the server a moment to register the subscription.
          await new Promise((wait) => setTimeout(wait, 500));
          subscribed({ next });
        } else if (message.type === "next" || message.type === "error") {
          settle(message.type === "next" ? message.payload : { error: message.payload });
          socket.close();
        }
      };
    });

  const query = await post(spec.query, {}).catch(failure);
  const subscription = await subscribe();
  const mutation = await post(spec.mutation, spec.variables).catch(failure);
  const event = subscription.error ? subscription : await subscription.next;
  return { query, mutation, event };
}

const browser = await chromium.launch({ executablePath: spec.chromium, headless: true });
try {
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${spec.pagePort}/`);
  const results = await tab.evaluate(callTheApi, spec);
  process.stdout.write(`${JSON.stringify(results)}\n`);
} finally {
  await browser.close();
  page.close();
}
