import { ConfigError, loadConfig } from './config.js';
import { printSortedSchema } from './schema/index.js';
import { startGateway } from './server.js';

const USAGE = `Usage: scout-registry [command]

Commands:
  serve          Serve GraphQL (default). Configured by SCOUT_REGISTRY_* variables (see README).
  print-schema   Print the GraphQL schema (SDL, sorted) to stdout.
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

async function main(argv: string[]): Promise<void> {
  const command = argv[0] ?? 'serve';
  switch (command) {
    case 'serve':
      return serve();
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
  if (error instanceof ConfigError) {
    process.stderr.write(`scout-registry: ${error.message}\n`);
  } else {
    process.stderr.write(`scout-registry: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
