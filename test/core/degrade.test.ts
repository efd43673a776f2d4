import type { ChannelCapabilities } from '../../core/connector';
import {
  degradeReplies,
  degradeReply,
  matchOption,
  numberedOptions,
  splitText,
  stripSsml,
  TEXT_ONLY,
} from '../../core/degrade';
import type { Button, Reply } from '../../core/message';

const RICH: ChannelCapabilities = {
  text: true,
  buttons: true,
  cards: true,
  speech: false,
  audio: true,
  media: true,
  push: true,
  typing: true,
  endSession: false,
};
const VOICE: ChannelCapabilities = {
  ...TEXT_ONLY,
  text: false,
  speech: 'ssml',
  audio: true,
  endSession: true,
};
const buttons: Button[] = [
  { title: 'Track my order', payload: '/order_status' },
  { title: 'Opening hours', payload: '/opening_hours' },
];

describe('degradeReply: buttons', () => {
  const reply: Reply = { from: 'bot', text: 'What can I do?', buttons };

  it('keeps buttons where the channel has them', () => {
    expect(degradeReply(reply, RICH)).toEqual([reply]);
  });

  it('appends numbered options on a text-only channel and drops the buttons', () => {
    expect(degradeReply(reply, TEXT_ONLY)).toEqual([
      { from: 'bot', text: 'What can I do?\n1. Track my order\n2. Opening hours' },
    ]);
  });

  it('says the options on a voice channel', () => {
    const [spoken] = degradeReply(reply, VOICE);
    expect(spoken.speech).toBe('<speak>What can I do? You can say Track my order, or Opening hours.</speak>');
    expect(spoken.buttons).toBeUndefined();
  });
});

describe('matchOption', () => {
  it('maps a number or a title back to the button', () => {
    expect(matchOption('2', buttons)).toBe(buttons[1]);
    expect(matchOption(' 1. ', buttons)).toBe(buttons[0]);
    expect(matchOption('opening  HOURS!', buttons)).toBe(buttons[1]);
  });

  it('leaves anything else to the NLU', () => {
    expect(matchOption('3', buttons)).toBeUndefined();
    expect(matchOption('0', buttons)).toBeUndefined();
    expect(matchOption('what are your opening hours', buttons)).toBeUndefined();
    expect(matchOption('', buttons)).toBeUndefined();
  });

  it('numbers options as matchOption reads them', () => {
    const shown = numberedOptions(buttons).split('\n')[1];
    expect(matchOption(shown.split(' ')[0], buttons)).toBe(buttons[1]);
  });
});

describe('degradeReply: cards and media', () => {
  const reply: Reply = {
    from: 'bot',
    text: 'Here is your order.',
    cards: [
      {
        title: 'Order A1001',
        text: 'Shipped on Monday',
        url: 'https://shop.example/orders/A1001',
        imageUrl: 'https://shop.example/a1001.png',
        buttons: [{ title: 'Return it', payload: '/return' }],
      },
    ],
    media: [
      { url: 'https://shop.example/receipt.pdf', contentType: 'application/pdf', altText: 'Your receipt' },
      { url: 'https://shop.example/chime.mp3', contentType: 'audio/mpeg' },
    ],
  };

  it('keeps cards and media where the channel shows them', () => {
    expect(degradeReply(reply, RICH)).toEqual([reply]);
  });

  it('turns a card into text and a link, its buttons into options, media into alt text and URL', () => {
    expect(degradeReply(reply, TEXT_ONLY)).toEqual([
      {
        from: 'bot',
        text: [
          'Here is your order.',
          'Order A1001 — Shipped on Monday — https://shop.example/orders/A1001',
          'Your receipt: https://shop.example/receipt.pdf',
          'https://shop.example/chime.mp3',
          '1. Return it',
        ].join('\n'),
      },
    ]);
  });

  it('keeps card buttons as buttons on a channel with buttons but no cards', () => {
    const [out] = degradeReply(reply, { ...RICH, cards: false });
    expect(out.buttons).toEqual([{ title: 'Return it', payload: '/return' }]);
    expect(out.cards).toBeUndefined();
    expect(out.text).not.toContain('1. Return it');
  });

  it('plays audio on a voice channel and never shows the image', () => {
    const [out] = degradeReply(reply, VOICE);
    expect(out.media).toEqual([reply.media?.[1]]);
    expect(JSON.stringify(out)).not.toContain('a1001.png');
  });
});

describe('degradeReply: speech', () => {
  const reply: Reply = {
    from: 'bot',
    text: 'Your order ships on Monday.',
    speech:
      '<speak>Your order ships <emphasis>Monday</emphasis>.<break time="300ms"/> Anything else?</speak>',
  };

  it('drops SSML on a text channel', () => {
    expect(degradeReply(reply, TEXT_ONLY)).toEqual([{ from: 'bot', text: 'Your order ships on Monday.' }]);
  });

  it('uses the plain words of the SSML when the text is blank', () => {
    expect(degradeReply({ ...reply, text: '' }, TEXT_ONLY)[0].text).toBe(
      'Your order ships Monday. Anything else?',
    );
  });

  it('keeps SSML for an SSML voice and strips it for a plain-words voice', () => {
    expect(degradeReply(reply, VOICE)[0].speech).toBe(reply.speech);
    expect(degradeReply(reply, { ...VOICE, speech: 'plain' })[0].speech).toBe(
      'Your order ships Monday. Anything else?',
    );
  });

  it('speaks the text on a voice channel when the reply has no speech, escaped for SSML', () => {
    expect(degradeReply({ from: 'bot', text: 'Tom & Jerry <3' }, VOICE)[0].speech).toBe(
      '<speak>Tom &amp; Jerry &lt;3</speak>',
    );
  });

  it('decodes entities when stripping', () => {
    expect(stripSsml('<speak>Fish &amp; chips , <say-as interpret-as="date">today</say-as></speak>')).toBe(
      'Fish & chips, today',
    );
  });

  it('keeps endSession and expectInput only where the channel can end a session', () => {
    const closing: Reply = { from: 'bot', text: 'Bye.', endSession: true, expectInput: false };
    expect(degradeReply(closing, VOICE)[0]).toMatchObject({ endSession: true, expectInput: false });
    expect(degradeReply(closing, TEXT_ONLY)[0]).toEqual({ from: 'bot', text: 'Bye.' });
  });
});

describe('degradeReply: length limits', () => {
  const sms: ChannelCapabilities = { ...TEXT_ONLY, maxTextLength: 40 };

  it('prefers the short form on a length-limited channel', () => {
    const reply: Reply = { from: 'bot', text: 'A long explanation of the delivery.', short: 'Ships Monday.' };
    expect(degradeReply(reply, sms)).toEqual([{ from: 'bot', text: 'Ships Monday.' }]);
    expect(degradeReply(reply, TEXT_ONLY)[0].text).toBe(reply.text);
  });

  it('splits long text at sentence ends, the last part keeping the rest of the reply', () => {
    const reply: Reply = {
      from: 'agent',
      agentName: 'Sam',
      text: 'Your parcel left the depot. It arrives tomorrow. The driver will call you first.',
      endSession: true,
    };
    const out = degradeReply(reply, { ...sms, endSession: true });
    expect(out).toEqual([
      { from: 'agent', agentName: 'Sam', text: 'Your parcel left the depot.' },
      { from: 'agent', agentName: 'Sam', text: 'It arrives tomorrow.' },
      { from: 'agent', agentName: 'Sam', text: 'The driver will call you first.', endSession: true },
    ]);
  });

  it('packs short sentences together and cuts a sentence with no break at spaces', () => {
    expect(splitText('Hi. Yes. Ok. Sure.', 9)).toEqual(['Hi. Yes.', 'Ok. Sure.']);
    expect(splitText('one two three four five', 9)).toEqual(['one two', 'three', 'four five']);
    expect(splitText('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    for (const part of splitText('Lorem ipsum dolor sit amet. '.repeat(20), 50)) {
      expect(part.length).toBeLessThanOrEqual(50);
    }
  });

  it('degrades every reply of a turn, in order', () => {
    const out = degradeReplies(
      [
        { from: 'bot', text: 'First.' },
        { from: 'bot', text: 'Pick one', buttons },
      ],
      TEXT_ONLY,
    );
    expect(out.map((reply) => reply.text)).toEqual([
      'First.',
      'Pick one\n1. Track my order\n2. Opening hours',
    ]);
  });
});
