// Subscribes with the graphql-ws client and prints one JSON line per event.
//   node subscribe.mjs URL TOKEN QUERY [VARIABLES_JSON] [COUNT] [TIMEOUT_MS]
// Prints {"ready": true} once the connection is acknowledged, then each `next` payload,
// and {"error": …} for an error; exits 0 after COUNT events, 1 on error or timeout.
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [url, token, query, variablesJson = "{}", countArg = "1", timeoutArg = "20000"] =
  process.argv.slice(2);
const wanted = Number(countArg);
const print = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
  retryAttempts: 0,
  on: { connected: () => print({ ready: true }) },
});

const timer = setTimeout(() => {
  print({ error: "timeout" });
  process.exit(1);
}, Number(timeoutArg));

let received = 0;
client.subscribe(
  { query, variables: JSON.parse(variablesJson) },
  {
    next: (payload) => {
      print(payload);
      received += 1;
      if (received >= wanted) {
        clearTimeout(timer);
        client.dispose();
        process.exit(0);
      }
    },
    error: (error) => {
      // An Error, a list of GraphQL errors, or the CloseEvent of a refused connection.
      const detail =
        error instanceof Error
          ? error.message
          : error && "code" in error
            ? { code: error.code, reason: error.reason }
            : error;
      print({ error: detail });
      process.exit(1);
    },
    complete: () => {
      print({ complete: true });
      process.exit(received >= wanted ? 0 : 1);
    },
  },
);
