/**
 * Standalone sandbox: `node dist/src/sandbox/main.js`. SANDBOX_HOST (default 127.0.0.1) and
 * SANDBOX_PORT (default 4100) choose where it listens.
 */
import { API_PATH } from './wire';
import { startSandbox } from './sandbox-server';

async function main(): Promise<void> {
  const host = process.env.SANDBOX_HOST ?? '127.0.0.1';
  const port = Number(process.env.SANDBOX_PORT ?? 4100);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`invalid SANDBOX_PORT ${process.env.SANDBOX_PORT}`);
  const sandbox = await startSandbox({ host, port });
  const { apiKey, accountId, siteId } = sandbox.demo;
  process.stdout.write(
    [
      `Wix AI Credits sandbox listening on ${sandbox.url}`,
      `  demo API key:    ${apiKey}`,
      `  demo account id: ${accountId}`,
      `  demo site id:    ${siteId}`,
      '',
      'Try:',
      `  curl -s -X POST '${sandbox.url}${API_PATH}/balance' \\`,
      `    -H 'Authorization: ${apiKey}' -H 'wix-account-id: ${accountId}' \\`,
      `    -H 'Content-Type: application/json' -d '{}'`,
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping sandbox\n`);
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`sandbox failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
