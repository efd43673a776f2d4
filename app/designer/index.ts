import { join } from 'node:path';
import type { HttpRoute } from '../../core/http';
import type { Clock, Logger } from '../../core/ports';
import { loadDialogEngine, type DialogImplementations } from '../../dialogs';
import { withLinking } from '../../linking/implementations';
import { botMessages } from '../bootstrap';
import type { BotDefinition } from '../bot-definition';
import type { ParleyRuntime } from '../runtime';
import type { DesignerAccess } from './access';
import { designerGuard } from './access';
import { designerApiRoutes } from './designer.api';
import { designerPageRoutes } from './designer.page';
import { createDesignerSocket, type DesignerSocket } from './designer.socket';

export type { DesignerAccess } from './access';

export interface DesignerOptions {
  bot: BotDefinition;
  runtime: Pick<ParleyRuntime, 'parse' | 'stores'>;
  access: DesignerAccess;
  logger: Logger;
  clock: Clock;
  /** The bot's effects and look-ups for replays; a fresh set by default. */
  implementations?: DialogImplementations;
}

export interface Designer {
  routes: HttpRoute[];
  /** Mount it with the server's sockets; `announce` tells open viewers the files were reloaded. */
  socket: DesignerSocket;
}

/**
 * The flow viewer at `/designer`: every flow of the bot as a state diagram, live as files change, with the
 * NLU panel and conversation replay. Open in development; elsewhere behind the desk's `designer` role.
 */
export function createDesigner({
  bot,
  runtime,
  access,
  logger,
  clock,
  implementations,
}: DesignerOptions): Designer {
  const replayImplementations = withLinking(implementations ?? bot.createImplementations());
  const api = designerApiRoutes({
    botName: bot.name,
    botDirectory: bot.directory,
    // Read from disk on every request: the viewer shows the files as saved, even before a reload applies.
    loadEngine: (observe) =>
      loadDialogEngine({
        flowsDir: join(bot.directory, 'flows'),
        implementations: replayImplementations,
        options: { ...bot.engineOptions, ...(observe ? { observe } : {}) },
        messages: botMessages(bot),
      }),
    parse: (text) => runtime.parse(text),
    transcripts: runtime.stores.transcripts,
    now: () => clock.now(),
    guard: designerGuard(access),
  });
  return { routes: [...designerPageRoutes(), ...api], socket: createDesignerSocket(access, logger) };
}
