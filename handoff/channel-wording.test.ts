import { createMessageCatalogue } from '../core/messages';
import { handoffNotice, queuedNotice } from './channel-wording';

const messages = createMessageCatalogue([
  {
    en: {
      'handoff.opened': 'A colleague will reply here.',
      'handoff.queued': 'Added to your case.',
      'speaker.handoff.opened': 'They will call you back.',
      'speaker.handoff.openedLinked': 'They will reply on {channel}.',
      'speaker.handoff.queued': 'Your case is with our team.',
      'channels.sms': 'text message',
    },
  },
]);

describe('channel wording of the handoff notice', () => {
  const speaker = { channel: 'speaker', userId: 'u1' };

  it('keeps the general notice on a channel with no wording of its own', () => {
    expect(handoffNotice(messages, 'en', { channel: 'webchat', userId: 'w' }, [])).toEqual({
      text: 'A colleague will reply here.',
    });
    expect(queuedNotice(messages, 'en', 'webchat')).toBe('Added to your case.');
  });

  it("uses the channel's own words and ends its session", () => {
    expect(handoffNotice(messages, 'en', speaker, [])).toEqual({
      text: 'They will call you back.',
      endSession: true,
    });
    expect(queuedNotice(messages, 'en', 'speaker')).toBe('Your case is with our team.');
  });

  it('names another channel the customer is known on, by its catalogue name when it has one', () => {
    const sms = { channel: 'sms', userId: '+1555' };
    expect(handoffNotice(messages, 'en', speaker, [sms]).text).toBe('They will reply on text message.');
    const other = { channel: 'carrier-pigeon', userId: 'p' };
    expect(handoffNotice(messages, 'en', speaker, [speaker, other]).text).toBe(
      'They will reply on carrier-pigeon.',
    );
  });
});
