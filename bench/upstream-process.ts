/**
 * Benchmark child: the embedded sandbox upstream on 127.0.0.1, in a process of its own so the
 * upstream does not share an event loop with what is measured. Answers `counters` (requests per
 * route since the last `resetCounters`) and reports the demo account and some transaction ids.
 */
import { startSandbox, type SandboxRoute } from '../src/sandbox';
import { serveChild } from './ipc';

export interface UpstreamInfo {
  url: string;
  apiKey: string;
  accountId: string;
  /** Ids of the demo account's seeded transactions, newest first. */
  transactionIds: string[];
}

serveChild<UpstreamInfo>(async () => {
  const sandbox = await startSandbox({ host: '127.0.0.1', port: 0, seed: 7 });
  return {
    info: {
      url: sandbox.url,
      apiKey: sandbox.demo.apiKey,
      accountId: sandbox.demo.accountId,
      transactionIds: sandbox.transactionsOf(sandbox.demo.accountId).map((tx) => tx.id),
    },
    handlers: {
      counters: (): Record<SandboxRoute, number> => sandbox.counters.snapshot(),
      resetCounters: () => {
        sandbox.counters.reset();
        return null;
      },
    },
    close: () => sandbox.close(),
  };
});
