// Apollo Client (npm) with its PersistedQueryLink, against omniorder servers.
//   node apollo_persisted.mjs SPEC_JSON
// SPEC is {"manifest": [{"name", "document"}]}: prints the Apollo persisted query manifest
// of those documents, each as Apollo Client sends it (with the `__typename`s its cache adds),
// as @apollo/generate-persisted-query-manifest writes it.
// Or SPEC is {"runs": [{"url", "document", "useGET"}]}: runs each document by a client of
// its own (nothing cached) and prints, per run, the data or the error codes it got and the
// HTTP requests its link sent: {"method", "query": sent in full?, "hash": named by hash?}.
import { createHash } from "node:crypto";
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { print } from "@apollo/client/utilities";

const spec = JSON.parse(process.argv[2]);
const sha256 = (text) => createHash("sha256").update(text).digest("hex");

function manifestOf(operations) {
  const cache = new InMemoryCache();
  return {
    format: "apollo-persisted-query-manifest",
    version: 1,
    operations: operations.map(({ name, document }) => {
      const body = print(cache.transformDocument(gql(document)));
      const type = gql(document).definitions[0].operation;
      return { id: sha256(body), name, type, body };
    }),
  };
}

async function run({ url, document, useGET = false }) {
  const requests = [];
  const recordingFetch = async (uri, options) => {
    const sent =
      options.method === "GET"
        ? Object.fromEntries(
            [...new URL(uri).searchParams].map(([key, value]) => [
              key,
              ["variables", "extensions"].includes(key) ? JSON.parse(value) : value,
            ]),
          )
        : JSON.parse(options.body);
    requests.push({
      method: options.method,
      query: typeof sent.query === "string",
      hash: Boolean(sent.extensions?.persistedQuery?.sha256Hash),
    });
    return fetch(uri, options);
  };
  const client = new ApolloClient({
    cache: new InMemoryCache(),
    link: ApolloLink.from([
      new PersistedQueryLink({ sha256, useGETForHashedQueries: useGET }),
      new HttpLink({ uri: `${url}/graphql`, fetch: recordingFetch }),
    ]),
  });
  const query = gql(document);
  const isMutation = query.definitions[0].operation === "mutation";
  const result = isMutation
    ? await client.mutate({ mutation: query, errorPolicy: "all" })
    : await client.query({ query, fetchPolicy: "network-only", errorPolicy: "all" });
  const errors = result.error?.errors ?? (result.error ? [result.error] : []);
  return {
    data: result.data ?? null,
    errors: errors.map((error) => error.extensions?.code ?? String(error.message)),
    requests,
  };
}

if (spec.manifest) {
  process.stdout.write(JSON.stringify(manifestOf(spec.manifest)));
} else {
  const results = [];
  for (const step of spec.runs) {
    results.push(await run(step));
  }
  process.stdout.write(JSON.stringify(results));
}
