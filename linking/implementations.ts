import type { JsonValue } from '../core/json';
import type { DialogImplementations } from '../dialogs';
import type { Linking } from './linking';

/** The look-ups and guards flows name for linking, bound to a runtime's linking service once it exists. */
export interface LinkingSlot {
  implementations: DialogImplementations;
  bind(linking: Linking): void;
}

const status = (data: JsonValue | undefined): JsonValue | undefined =>
  data && typeof data === 'object' && !Array.isArray(data) ? data['status'] : undefined;

const field = (data: JsonValue | undefined, key: string): JsonValue | undefined =>
  data && typeof data === 'object' && !Array.isArray(data) ? data[key] : undefined;

/**
 * `sendLinkCode` (texts or e-mails a code to a contact point on file), `showLinkCode` (a code to send from
 * the new channel) and `unlinkChannel` look-ups, with guards on their answers. Until `bind` is called (a
 * flow check, a bot run without a server) they fail, and the flow takes its `error` branch.
 *
 * @example
 * const slot = linkingSlot();
 * const implementations = withLinking(bot.createImplementations(), slot);
 * slot.bind(createLinking({ ... }));
 */
export function linkingSlot(): LinkingSlot {
  let bound: Linking | undefined;
  const linking = (): Linking => {
    if (!bound) throw new Error('channel linking is not set up in this runtime');
    return bound;
  };
  return {
    bind: (service) => {
      bound = service;
    },
    implementations: {
      lookups: {
        sendLinkCode: async ({ turn, slots }) => ({ ...(await linking().sendCode(turn, slots)) }),
        showLinkCode: ({ turn }) => linking().showCode(turn),
        unlinkChannel: ({ turn }) => linking().unlinkFromTurn(turn),
      },
      guards: {
        linkCodeTexted: ({ data }) => status(data) === 'sent' && field(data, 'via') === 'sms',
        linkCodeMailed: ({ data }) => status(data) === 'sent' && field(data, 'via') === 'email',
        linkCodeShown: ({ data }) => status(data) === 'shown',
        /** A shown code, and the number to send it to is known. */
        linkCodeShownWithNumber: ({ data }) => status(data) === 'shown' && Boolean(field(data, 'number')),
        linkRateLimited: ({ data }) => status(data) === 'rate_limited',
        linkNotVerified: ({ data }) => status(data) === 'not_verified',
        linkNoContact: ({ data }) => status(data) === 'no_contact',
        unlinkedSome: ({ data }) =>
          typeof field(data, 'count') === 'number' && Number(field(data, 'count')) > 0,
      },
    },
  };
}

/** The bot's implementations with linking's added; the bot's own names win. */
export function withLinking(
  own: DialogImplementations,
  slot: LinkingSlot = linkingSlot(),
): DialogImplementations {
  const extra = slot.implementations;
  return {
    ...own,
    lookups: { ...extra.lookups, ...own.lookups },
    guards: { ...extra.guards, ...own.guards },
  };
}
