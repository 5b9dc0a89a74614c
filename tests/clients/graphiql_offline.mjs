// Opens the GraphiQL page in a real (headless) Chromium that may reach nothing but the
// server, by a link that fills in the Authorization header; then runs the `Me` query of
// its default operations, and the `OrderStatusChanged` subscription while this script
// places orders.
//   node graphiql_offline.mjs SPEC_JSON
// SPEC: {chromium, link, token, mutation, variables, attempts}. Prints one JSON line:
// {offsite, failed, errors, address, editor, headers, query, event}: the requests to other
// hosts (aborted), the requests to the server that failed, the page's errors, its address
// once loaded, the editors' text, the query's response and the subscription's first event.
import { chromium } from "playwright-core";

const spec = JSON.parse(process.argv[2]);
const server = new URL(spec.link).origin;
const offsite = [];
const failed = [];
const errors = [];

const editorText = (tab, selector) =>
  tab.$eval(selector, (element) => element.querySelector(".CodeMirror").CodeMirror.getValue());

// Runs an operation of the editor's document: the run button asks which one.
async function run(tab, name) {
  await tab.click(".graphiql-execute-button");
  await tab.getByRole("menuitem", { name, exact: true }).click();
}

async function response(tab, expected, timeout = 60000) {
  await tab.waitForFunction(
    (text) =>
      document
        .querySelector(".result-window .CodeMirror")
        .CodeMirror.getValue()
        .includes(text),
    expected,
    { timeout },
  );
  return JSON.parse(await editorText(tab, ".result-window"));
}

const browser = await chromium.launch({ executablePath: spec.chromium, headless: true });
try {
  const context = await browser.newContext();
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === server) {
      return route.continue();
    }
    offsite.push(url);
    return route.abort("blockedbyclient");
  });
  const tab = await context.newPage();
  tab.on("requestfailed", (request) => failed.push(request.url()));
  tab.on("pageerror", (error) => errors.push(String(error)));
  tab.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  await tab.goto(spec.link, { timeout: 60000 });
  await tab.waitForSelector(".graphiql-query-editor .CodeMirror", { timeout: 60000 });
  const address = tab.url();
  const editor = await editorText(tab, ".graphiql-query-editor");
  const headers = await tab.$$eval(".graphiql-editor-tool .CodeMirror", (editors) =>
    editors.map((element) => element.CodeMirror.getValue()),
  );

  await run(tab, "Me");
  const query = await response(tab, "role");

  const subscribed = new Promise((resolve) =>
    tab.on("websocket", (socket) =>
      socket.on("framesent", ({ payload }) => {
        if (JSON.parse(payload).type === "subscribe") resolve();
      }),
    ),
  );
  await run(tab, "OrderStatusChanged");
  await subscribed;
  // Orders until the subscription shows one, as the server may take a moment to register
  // it; at most spec.attempts (as many as the stock allows).
  let event;
  for (let attempt = 1; event === undefined; attempt += 1) {
    const placed = await fetch(`${server}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${spec.token}` },
      body: JSON.stringify({ query: spec.mutation, variables: spec.variables }),
    });
    await placed.json();
    event = await response(tab, "orderStatusChanged", 5000).catch((error) => {
      if (attempt >= spec.attempts) throw error;
    });
  }
  process.stdout.write(
    `${JSON.stringify({ offsite, failed, errors, address, editor, headers, query, event })}\n`,
  );
} catch (error) {
  // What the page went through, to say why it did not get that far.
  process.stderr.write(`${JSON.stringify({ offsite, failed, errors })}\n`);
  throw error;
} finally {
  await browser.close();
}
