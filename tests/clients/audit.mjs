// Runs the graphql-http audit suite (GraphQL over HTTP spec) against a running server.
//
//   node tests/clients/audit.mjs http://127.0.0.1:8000/graphql
//
// Prints one line per audit and exits 1 if any MUST or SHOULD audit did not pass.
// The library reports a failed SHOULD as "warn" and a failed MAY as "notice", so
// failures are judged by the requirement level the audit's name starts with.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql-url>');
  process.exit(2);
}

const results = await auditServer({ url });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
const failed = [];

for (const result of results) {
  counts[result.status] += 1;
  const reason = result.status === 'ok' ? '' : ` -- ${result.reason}`;
  console.log(`${result.id} ${result.status.padEnd(6)} ${result.name}${reason}`);
  const level = result.name.split(' ', 1)[0];
  if (result.status !== 'ok' && (level === 'MUST' || level === 'SHOULD')) {
    failed.push(result);
  }
}

console.log(
  `\n${results.length} audits: ${counts.ok} ok, ${counts.warn} warn, ` +
    `${counts.error} error, ${counts.notice} notice (MAY)`,
);
if (failed.length > 0) {
  console.log(`${failed.length} MUST/SHOULD audits failed: ${failed.map((r) => r.id).join(' ')}`);
  process.exit(1);
}
