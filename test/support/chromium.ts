/**
 * Debian's Chromium driven by playwright-core (no browser download). CHROMIUM_BIN overrides the
 * path. When the binary is missing the browser suites fail under CI=true (CI installs it) and
 * are skipped, with a warning, on a developer's machine.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';

export const CHROMIUM_BIN = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

/** Screenshots land here (gitignored). */
export const ARTIFACTS_DIR = join(__dirname, '..', '..', 'test-artifacts', 'browser');

/** On top of playwright's `headless: true` (which also gives every launch a fresh temporary profile). */
const FLAGS = [
  '--no-sandbox', // containers run as root without user namespaces
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `describe` when Chromium is there (or in CI, where its absence must fail), `describe.skip` otherwise. */
export function describeWithChromium(name: string, body: () => void): void {
  if (existsSync(CHROMIUM_BIN) || process.env.CI) {
    describe(name, body);
  } else {
    process.stderr.write(
      `Skipping "${name}": no Chromium at ${CHROMIUM_BIN} (apt-get install -y chromium, or set CHROMIUM_BIN).\n`,
    );
    describe.skip(name, body);
  }
}

export interface ChromiumSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every URL the page requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function openChromium(): Promise<ChromiumSession> {
  if (!existsSync(CHROMIUM_BIN)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_BIN}: install it (apt-get install -y chromium) or set CHROMIUM_BIN.`,
    );
  }
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM_BIN, headless: true, args: FLAGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request: Request) => requests.push(request.url()));
  return {
    browser,
    context,
    page,
    requests,
    close: () => browser.close(),
  };
}

/** URLs whose host is not loopback (data: and blob: URLs never leave the machine). */
export function nonLoopbackRequests(urls: readonly string[]): string[] {
  return urls.filter((url) => {
    const { protocol, hostname } = new URL(url);
    if (protocol === 'data:' || protocol === 'blob:') return false;
    return !['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
  });
}
