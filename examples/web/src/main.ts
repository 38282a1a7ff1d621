/**
 * The page: balance, history paged through the Relay cursor, and the charge button. Typed
 * documents come from graphql-codegen's client preset (repository root `generated/`, made from
 * schema/operations/*.graphql against schema/api.graphql).
 */
import type { CombinedError } from '@urql/core';
import {
  BalanceWidgetDocument,
  ChargeCreditsDocument,
  TransactionHistoryDocument,
  type TransactionRowFragment,
} from '../../../generated/graphql';
import {
  judge,
  loadPendingIntent,
  newIntent,
  savePendingIntent,
  variablesOf,
  type ChargeIntent,
} from './charge-intent';
import { describeOutcome } from './charge-outcome';
import { createGatewayClient } from './client';
import './style.css';

const PAGE_SIZE = 5;
const TOKEN_KEY = 'credits-gateway-example.token';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} missing`);
  return element as T;
};

const tokenInput = $<HTMLInputElement>('token');
tokenInput.value = sessionStorage.getItem(TOKEN_KEY) ?? import.meta.env.VITE_GATEWAY_TOKEN ?? '';
const client = createGatewayClient({
  url: import.meta.env.VITE_GATEWAY_URL ?? '/graphql',
  token: () => tokenInput.value.trim() || null,
});

/** Stable codes, not raw text: what a user can do about it. */
function explain(error: CombinedError): string {
  if (error.networkError) return 'The gateway could not be reached.';
  const first = error.graphQLErrors[0];
  const code = String(first?.extensions?.code ?? 'ERROR');
  if (code === 'UNAUTHENTICATED') return `Sign in: paste a bearer token above (${first?.message}).`;
  if (code === 'FORBIDDEN') return `Your token may not do this: ${first?.message}`;
  return `${code}: ${first?.message ?? error.message}`;
}

function showError(id: string, error: CombinedError | null): void {
  const element = $(id);
  element.hidden = !error;
  element.textContent = error ? explain(error) : '';
}

// ---- balance ---------------------------------------------------------------------------------

async function loadBalance(): Promise<void> {
  const result = await client.query(BalanceWidgetDocument, {}).toPromise();
  showError('balance-error', result.error ?? null);
  const balance = result.data?.creditBalance;
  if (!balance) return;
  $('available').textContent = `${balance.availableCredits}`;
  $('periodic').textContent =
    `${balance.periodicCredits.balance}${balance.periodicCredits.cap !== null ? ` of ${balance.periodicCredits.cap}` : ''}`;
  $('topup').textContent = `${balance.topUpCredits.balance}`;
}

// ---- history: newest first, "load more" passes pageInfo.endCursor as `after` ------------------

let endCursor: string | null = null;

function row(tx: TransactionRowFragment): HTMLTableRowElement {
  const tr = document.createElement('tr');
  const cells: Array<[string, string]> = [
    [tx.createdDate ? new Date(tx.createdDate).toLocaleString() : '', ''],
    [tx.description ?? '', ''],
    [`${tx.amount?.credits ?? ''}`, 'num'],
    [tx.id, 'id'],
  ];
  for (const [text, className] of cells) {
    const td = document.createElement('td');
    td.textContent = text; // never innerHTML: descriptions are user input
    if (className) td.className = className;
    tr.append(td);
  }
  return tr;
}

async function loadHistory(reset: boolean): Promise<void> {
  const more = $<HTMLButtonElement>('load-more');
  more.disabled = true;
  if (reset) endCursor = null;
  const result = await client.query(TransactionHistoryDocument, { first: PAGE_SIZE, after: endCursor }).toPromise();
  more.disabled = false;
  showError('history-error', result.error ?? null);
  const page = result.data?.creditTransactions;
  if (!page) return;
  const rows = $('history-rows');
  if (reset) rows.replaceChildren();
  rows.append(...page.edges.map((edge) => row(edge.node)));
  endCursor = page.pageInfo.endCursor;
  more.hidden = !page.pageInfo.hasNextPage;
}

// ---- charge: one idempotency key per user intent --------------------------------------------

let pending: ChargeIntent | null = loadPendingIntent(sessionStorage);
const creditsInput = $<HTMLInputElement>('credits');
const descriptionInput = $<HTMLInputElement>('description');
const chargeButton = $<HTMLButtonElement>('charge-button');

function renderIntent(): void {
  const open = pending !== null && pending.attempts > 0;
  if (pending && open) {
    creditsInput.value = String(pending.credits);
    descriptionInput.value = pending.description;
  }
  creditsInput.disabled = open; // a retry must send the same input with the same key
  descriptionInput.disabled = open;
  chargeButton.textContent = open ? 'Retry charge' : 'Charge';
  $('abandon-button').hidden = !open;
  $('intent').textContent = pending
    ? `Idempotency key ${pending.idempotencyKey} · attempt ${pending.attempts}${open ? ' · outcome not known yet: retrying reuses this key' : ''}`
    : '';
  $('intent').dataset.key = pending?.idempotencyKey ?? '';
}

function showOutcome(tone: string, title: string, detail: string): void {
  const box = $('outcome');
  box.hidden = false;
  box.className = tone;
  box.dataset.outcome = title;
  $('outcome-title').textContent = title;
  $('outcome-detail').textContent = detail;
}

async function charge(): Promise<void> {
  pending ??= newIntent({ credits: Number(creditsInput.value), description: descriptionInput.value.trim() });
  pending.attempts += 1;
  savePendingIntent(sessionStorage, pending); // before sending: a reload mid-flight keeps the key
  renderIntent();
  chargeButton.disabled = true;
  const outcome = await client.mutation(ChargeCreditsDocument, variablesOf(pending)).toPromise();
  chargeButton.disabled = false;

  const verdict = judge(outcome);
  if (verdict.result) {
    const view = describeOutcome(verdict.result);
    showOutcome(view.tone, view.title, view.detail);
    $('outcome').dataset.typename = verdict.result.__typename;
  } else if (verdict.error) {
    showOutcome(
      verdict.settled ? 'refused' : 'unknown',
      verdict.settled ? 'Not charged' : 'Outcome not known',
      explain(verdict.error),
    );
    $('outcome').dataset.typename = verdict.settled ? 'refused' : 'error';
  }
  if (verdict.settled) {
    pending = null; // the next click is a new intent, with a new key
    savePendingIntent(sessionStorage, null);
    void loadBalance();
    void loadHistory(true);
  } else {
    savePendingIntent(sessionStorage, pending);
  }
  renderIntent();
}

// ---- wiring ----------------------------------------------------------------------------------

$('charge-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void charge();
});
$('abandon-button').addEventListener('click', () => {
  if (!confirm('The previous charge may have gone through. Start a new one with a new key anyway?')) return;
  pending = null;
  savePendingIntent(sessionStorage, null);
  renderIntent();
});
$('load-more').addEventListener('click', () => void loadHistory(false));
$('refresh-balance').addEventListener('click', () => void loadBalance());
tokenInput.addEventListener('change', () => {
  sessionStorage.setItem(TOKEN_KEY, tokenInput.value.trim());
  void loadBalance();
  void loadHistory(true);
});

renderIntent();
void loadBalance();
void loadHistory(true);
