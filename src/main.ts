/**
 * Start-up: configuration → the embedded sandbox upstream (when there are no Wix credentials and
 * no forwarding) → the gateway. SIGINT/SIGTERM close the gateway, then the sandbox.
 */
import 'reflect-metadata';
import { authStartupLine } from './auth/auth-startup';
import { ConfigError, loadConfig, subgraphExposureProblem, TIMING_DEFAULTS, type Config } from './config';
import type { CredentialSource } from './graphql/context';
import { createGateway } from './gateway';
import type { Sandbox } from './sandbox';
import type { Tracing } from './telemetry/setup';

const SAMPLE_QUERY = '{ creditBalance { availableCredits periodicCredits { balance cap } topUpCredits { balance } } }';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const exposure = subgraphExposureProblem(config);
  if (exposure) {
    process.stderr.write(`${exposure}\n`);
    process.exit(2);
  }

  // Loaded only when configured: without OTEL_EXPORTER_OTLP_ENDPOINT no SDK module is imported.
  const tracing: Tracing | null = config.tracing
    ? await (await import('./telemetry/setup')).startTracing(config.tracing)
    : null;

  let sandbox: Sandbox | null = null;
  let credentialSource: CredentialSource;
  let wixBaseUrl = config.wixBaseUrl;
  const upstream = config.upstream;
  if (upstream.kind === 'sandbox') {
    // The sandbox is loaded only when it is served.
    const { startSandbox } = await import('./sandbox');
    sandbox = await startSandbox({ host: '127.0.0.1', port: config.sandboxPort });
    wixBaseUrl = sandbox.url;
    credentialSource = {
      kind: 'server',
      credentials: { authorization: sandbox.demo.apiKey, accountId: sandbox.demo.accountId },
    };
  } else if (upstream.kind === 'server-key') {
    credentialSource = {
      kind: 'server',
      credentials: upstream.accountId
        ? { authorization: upstream.apiKey, accountId: upstream.accountId }
        : { authorization: upstream.apiKey, siteId: upstream.siteId ?? '' },
    };
  } else {
    credentialSource = { kind: 'forward' };
  }

  const gateway = await createGateway({
    config: { ...config, wixBaseUrl },
    credentialSource,
    freshUpstream: sandbox !== null,
  });
  const url = await gateway.listen();
  const lines = [`credits-gateway listening on ${url}/graphql (router subgraph: ${url}/subgraph)`];
  if (gateway.metricsUrl) lines.push(`Prometheus metrics: ${gateway.metricsUrl} (separate listener, METRICS_PORT)`);
  if (sandbox) {
    lines.push(
      `No Wix credentials configured: using the embedded sandbox upstream at ${sandbox.url}`,
      `  demo account ${sandbox.demo.accountId} (API key ${sandbox.demo.apiKey}); set WIX_API_KEY + WIX_ACCOUNT_ID or WIX_AUTH=forward for real Wix.`,
    );
  } else {
    lines.push(
      `Upstream: ${upstream.kind === 'forward' ? "Wix, with each caller's own credentials" : 'Wix, with the server-held API key'}`,
    );
  }
  lines.push(
    `Try it: curl -s ${url}/graphql -H 'content-type: application/json' -d '${JSON.stringify({ query: SAMPLE_QUERY })}'`,
  );
  lines.push(
    config.redisUrl
      ? 'Transaction cache and charge state: Redis (shared by replicas).'
      : 'Transaction cache and charge state: in memory (run one replica, or set REDIS_URL).',
  );
  if (config.tracing)
    lines.push(`Tracing: OpenTelemetry spans to ${config.tracing.endpoint} as "${config.tracing.serviceName}".`);
  const auth = authStartupLine(config.auth, config.production);
  if (auth.warning) process.stderr.write(`${auth.line}\n`);
  else lines.push(auth.line);
  if (config.landingPage)
    lines.push(`Or open ${url}/graphql in a browser for Apollo Sandbox (${url}/graphiql: GraphiQL, works offline).`);
  // stdout carries only JSON log lines: the banner goes to stderr, or into the log in production.
  if (config.production) {
    const level = config.logLevel === 'silent' ? 'silent' : 'info';
    gateway.app.log.child({}, { level }).info({ startup: lines.slice(1) }, lines[0]);
  } else {
    process.stderr.write(`${lines.join('\n')}\n`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    gateway.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), TIMING_DEFAULTS.shutdownGraceMs);
    force.unref();
    await gateway.close();
    await sandbox?.close();
    await tracing?.shutdown().catch(() => undefined); // flushes pending spans
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`credits-gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
