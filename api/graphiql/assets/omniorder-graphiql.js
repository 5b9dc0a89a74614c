// Starts GraphiQL on the page that /graphql serves to a browser (api/graphiql/page.py).
// Queries and mutations go to this URL by POST; subscriptions over a WebSocket to the same
// URL (graphql-transport-ws), with the Headers tab's headers as the connection_init payload.
// A fragment `#headers=<url-encoded JSON>` fills in the Headers tab, and is then taken out
// of the address bar, so that the token it carries is not copied along with the URL.
"use strict";

(function () {
  const config = JSON.parse(document.getElementById("graphiql-config").textContent);
  const url = window.location.origin + window.location.pathname;
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const headers = fragment.get("headers");
  if (headers !== null) {
    window.history.replaceState(null, "", url + window.location.search);
  }
  const props = {
    fetcher: GraphiQL.createFetcher({ url, subscriptionUrl: url.replace(/^http/, "ws") }),
    plugins: [GraphiQLPluginExplorer.explorerPlugin()],
    defaultQuery: config.defaultQuery,
    defaultEditorToolsVisibility: headers !== null ? "headers" : true,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
    inputValueDeprecation: true,
  };
  if (headers !== null) {
    props.headers = headers;
  }
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, props));
})();
