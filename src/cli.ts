import { ConfigError, loadConfig } from './config.js';
import { pino } from 'pino';
import { ECOSYSTEM_IDS, isEcosystemId } from './ecosystems/ids.js';
import { createApp } from './app.js';
import { printSortedSchema } from './schema/index.js';
import { startGateway } from './server.js';
import path from 'node:path';
import { importOsv, type ImportProgress } from './osv/import.js';
import { openOsvStore } from './osv/service.js';

const USAGE = `Usage: scout-registry [command]

Commands:
  serve          Serve GraphQL (default). Configured by SCOUT_REGISTRY_* variables (see README).
  print-schema   Print the GraphQL schema (SDL, sorted) to stdout.
  renormalize [ecosystem]
                 Re-normalize stored packages from their stored raw documents (no upstream
                 requests): run after upgrading to a gateway with a better normalizer.
  osv import <dir-or-zip>
                 Load OSV dumps (an ecosystem's all.zip, record .json files, or a folder of
                 them) into the OSV store, for SCOUT_REGISTRY_OSV_MODE=offline. Progress on stderr.
  help           Show this help.
`;

async function serve(): Promise<void> {
  const config = loadConfig();
  const gateway = await startGateway(config);
  gateway.logger.info({ url: `${gateway.url}/graphql`, dataDir: config.dataDir, npm: config.upstreams.npm.baseUrl }, 'Scout Registry is serving GraphQL');
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    gateway.logger.info({ signal }, 'shutting down');
    gateway.close().then(() => process.exit(0), (error: unknown) => {
      gateway.logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** A mistake in the command line: reported without a stack trace, exit code 2. */
class UsageError extends Error {}

async function renormalize(ecosystem: string | undefined): Promise<void> {
  if (ecosystem !== undefined && !isEcosystemId(ecosystem)) throw new UsageError(`unknown ecosystem ${JSON.stringify(ecosystem)}; expected one of ${ECOSYSTEM_IDS.join(', ')}`);
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, name: 'scout-registry' });
  const app = await createApp(config, logger);
  try {
    const keys = (await app.stores.documents.listPackageKeys(ecosystem)).filter((key) => app.adapters[key.ecosystem]);
    let done = 0;
    let skipped = 0;
    for (const key of keys) {
      if (await app.service.renormalize(key)) done++;
      else skipped++;
    }
    process.stdout.write(`re-normalized ${done} package${done === 1 ? '' : 's'}${skipped ? `, ${skipped} without stored raw data left as they were` : ''}\n`);
  } finally {
    await app.close();
  }
}

/** `osv import <path>`: OSV dumps into the OSV store (the package store is not opened). */
async function osvCommand(args: string[]): Promise<void> {
  const [sub, source, ...extra] = args;
  if (sub !== 'import' || !source || extra.length > 0) throw new UsageError('expected: osv import <dir-or-zip>');
  const config = loadConfig();
  const store = await openOsvStore(config);
  const started = Date.now();
  let last = 0;
  const interactive = process.stderr.isTTY === true;
  const line = (p: ImportProgress) =>
    `osv import: ${p.files} file${p.files === 1 ? '' : 's'}, ${p.records} records read, ${p.stored} stored, ${p.skipped} skipped, ${p.invalid} invalid (${path.basename(p.file)})`;
  try {
    const result = await importOsv(store, source, (progress) => {
      // One rewritten line on a terminal; a line every few seconds in logs.
      const now = Date.now();
      if (now - last < (interactive ? 200 : 5000)) return;
      last = now;
      process.stderr.write(interactive ? `\r${line(progress)}\u001b[K` : `${line(progress)}\n`);
    });
    process.stderr.write(`${interactive ? '\r' : ''}${line(result)} in ${((Date.now() - started) / 1000).toFixed(1)} s${interactive ? '\u001b[K' : ''}\n`);
  } finally {
    await store.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const command = argv[0] ?? 'serve';
  switch (command) {
    case 'serve':
      return serve();
    case 'renormalize':
      return renormalize(argv[1]);
    case 'osv':
      return osvCommand(argv.slice(1));
    case 'print-schema':
      process.stdout.write(printSortedSchema());
      return;
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`Unknown command: ${command}\n\n${USAGE}`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`scout-registry: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  } else if (error instanceof ConfigError) {
    process.stderr.write(`scout-registry: ${error.message}\n`);
  } else {
    process.stderr.write(`scout-registry: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
