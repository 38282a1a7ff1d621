/**
 * Apollo Sandbox on GET /graphql (development), unchanged except for one line: when Sandbox
 * cannot load from Apollo's CDN (offline, or a network that blocks it), the fallback text the
 * page shows also points to the self-hosted explorer at /graphiql. Apollo's landing-page
 * options (`document`, `footer`, `embed`…) only configure Sandbox once it has loaded, so the
 * plugin's HTML is amended instead.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { GRAPHIQL_PATH } from './graphiql';

const OFFLINE_TEXT = 'it appears that you might be offline.</p>';
export const GRAPHIQL_NOTICE = `<p>The offline explorer, GraphiQL, is served by this gateway: <a href=".${GRAPHIQL_PATH}">${GRAPHIQL_PATH}</a>.</p>`;

/**
 * Sandbox's (still empty) full-page container lies over the fallback text: let clicks through to
 * the link until Sandbox fills it. The page's CSP admits only styles carrying its nonce.
 */
const clickThroughStyle = (nonce: string): string =>
  `<style nonce="${nonce}">#embeddableSandbox:empty { pointer-events: none; }</style>`;

export function withGraphiqlNotice(html: string): string {
  if (!html.includes(OFFLINE_TEXT)) return `${html}\n${GRAPHIQL_NOTICE}`;
  const nonce = /nonce="?([0-9a-f]+)/.exec(html)?.[1];
  const notice = nonce ? `${GRAPHIQL_NOTICE}\n  ${clickThroughStyle(nonce)}` : GRAPHIQL_NOTICE;
  return html.replace(OFFLINE_TEXT, `${OFFLINE_TEXT}\n  ${notice}`);
}

export function sandboxLandingPage<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  const sandbox = ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false });
  return {
    async serverWillStart(service) {
      const listener = await sandbox.serverWillStart?.(service);
      if (!listener?.renderLandingPage) return listener;
      const render = listener.renderLandingPage.bind(listener);
      return {
        ...listener,
        async renderLandingPage() {
          const { html } = await render();
          return { html: async () => withGraphiqlNotice(typeof html === 'string' ? html : await html()) };
        },
      };
    },
  };
}
