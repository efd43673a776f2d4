import type { RasaApiOptions } from '../connectors/rest/rasa.api';
import type { HttpRoute, SocketEndpoint } from '../core/http';
import type { Clock, Logger } from '../core/ports';
import type { DialogImplementations } from '../dialogs';
import type { TokenIssuer } from '../desk/tokens';
import { buildBotParts } from './bootstrap';
import type { BotDefinition } from './bot-definition';
import type { ParleyConfig } from './config';
import { createDesigner } from './designer';
import { watchBotFiles } from './hot-reload';
import { rasaApiFor } from './rasa-source';
import type { ParleyRuntime } from './runtime';

export interface DesignerToolsOptions {
  bot: BotDefinition;
  config: ParleyConfig;
  runtime: ParleyRuntime;
  /** The implementations the runtime uses: reloaded flows get the same ones. */
  implementations: DialogImplementations;
  logger: Logger;
  clock: Clock;
}

/** What a designer works with on a running bot, wired together. */
export interface DesignerTools {
  /** The flow viewer's page and API. */
  routes: HttpRoute[];
  /** The flow viewer's live-update socket. */
  socket: SocketEndpoint;
  /** For the REST connector: Rasa's HTTP API over this runtime. */
  rasaApi: RasaApiOptions;
  /** Outside development, the viewer checks desk tokens for the designer role: the desk's issuer. */
  useDeskTokens(tokens: TokenIssuer): void;
  close(): void;
}

/**
 * Hot reload (when configured), the flow viewer it keeps live, and the Rasa HTTP API's view of the
 * runtime (its `/status` follows reloads).
 */
export function createDesignerTools(options: DesignerToolsOptions): DesignerTools {
  const { bot, config, runtime, implementations, logger, clock } = options;
  const rasaApi = rasaApiFor(runtime, bot.name, clock);
  let tokens: TokenIssuer | undefined;
  const designer = createDesigner({
    bot,
    runtime,
    // Open in development; elsewhere a desk account with the designer role (no desk yet: nobody).
    access: config.devMode
      ? { mode: 'open' }
      : { mode: 'designer-role', verify: async (token) => tokens?.verify(token) },
    logger,
    clock,
  });
  const reload = config.reload
    ? watchBotFiles({
        bot,
        build: () => buildBotParts(bot, config, implementations, undefined, logger),
        apply: (parts) => {
          runtime.replaceBot(parts);
          rasaApi.reloaded();
        },
        logger,
        onReload: (outcome) => designer.socket.announce(outcome),
      })
    : undefined;
  return {
    routes: designer.routes,
    socket: designer.socket,
    rasaApi,
    useDeskTokens: (issuer) => {
      tokens = issuer;
    },
    close: () => reload?.close(),
  };
}
