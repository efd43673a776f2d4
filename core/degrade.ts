import type { ChannelCapabilities } from './connector';
import type { Button, Card, Media, Reply } from './message';

/**
 * Replies made fit for a channel, in one place: what the channel cannot carry becomes something it can.
 * Buttons become numbered options ("2" or the title maps back with `matchOption`), cards become text and a
 * link, media its alt text and URL, SSML plain text (and text speech, on a voice channel), `short` is used on
 * length-limited channels and text still too long is split at sentence boundaries. Pure.
 *
 * @example
 * degradeReplies(replies, { ...TEXT_ONLY, maxTextLength: 160 }); // an SMS channel
 */
export function degradeReplies(replies: readonly Reply[], capabilities: ChannelCapabilities): Reply[] {
  return replies.flatMap((reply) => degradeReply(reply, capabilities));
}

/** A channel that shows plain text and nothing else: the floor every reply can be degraded to. */
export const TEXT_ONLY: ChannelCapabilities = {
  text: true,
  buttons: false,
  cards: false,
  speech: false,
  audio: false,
  media: false,
  push: false,
  typing: false,
  endSession: false,
};

export function degradeReply(reply: Reply, capabilities: ChannelCapabilities): Reply[] {
  const caps = capabilities;
  const buttons = offeredButtons(reply, caps);
  const carried = (reply.media ?? []).filter((item) => (isAudio(item) ? caps.audio : caps.media));
  const dropped = (reply.media ?? []).filter((item) => !carried.includes(item));

  const base = baseText(reply, caps.maxTextLength);
  const extra = [
    ...(caps.cards ? [] : (reply.cards ?? []).map(cardAsText)),
    ...dropped.map(mediaAsText),
    ...(caps.buttons || buttons.length === 0 ? [] : [numberedOptions(buttons)]),
  ];
  const text = [base, ...extra].filter((part) => part.length > 0).join('\n');

  const out: Reply = { text, from: reply.from };
  if (reply.agentName !== undefined) out.agentName = reply.agentName;
  if (caps.speech) {
    // A channel that shows no text says what it cannot show: a card's words, a picture's description.
    const unseen = caps.text
      ? []
      : [...(caps.cards ? [] : (reply.cards ?? []).map(cardAsSpeech)), ...dropped.flatMap(altText)];
    const spoken = reply.speech ?? base;
    const options = joinWords(...unseen, caps.buttons || buttons.length === 0 ? '' : sayOptions(buttons));
    out.speech = caps.speech === 'ssml' ? asSsml(spoken, options) : joinWords(stripSsml(spoken), options);
  }
  if (caps.buttons && buttons.length > 0) out.buttons = buttons;
  if (caps.cards && reply.cards?.length) out.cards = reply.cards;
  if (carried.length > 0) out.media = carried;
  if (caps.endSession) {
    if (reply.endSession !== undefined) out.endSession = reply.endSession;
    if (reply.expectInput !== undefined) out.expectInput = reply.expectInput;
  }
  return split(out, caps.maxTextLength);
}

/**
 * The options a reply offers on a channel, in the order its numbered list shows them: its buttons, then its
 * cards' buttons where cards cannot be shown. What `matchOption` maps a customer's "2" against.
 */
export function offeredButtons(reply: Reply, capabilities: ChannelCapabilities): Button[] {
  const fromCards = capabilities.cards ? [] : (reply.cards ?? []).flatMap(cardButtons);
  return [...(reply.buttons ?? []), ...fromCards];
}

/** The reply's own words: `short` on a length-limited channel, the plain form of `speech` when text is blank. */
function baseText(reply: Reply, maxTextLength: number | undefined): string {
  if (maxTextLength !== undefined && reply.short) return reply.short;
  if (reply.text.trim().length === 0 && reply.speech) return stripSsml(reply.speech);
  return reply.text;
}

/** Splits an over-long reply: every part but the last is text alone; the last keeps buttons, media, speech. */
function split(reply: Reply, maxTextLength: number | undefined): Reply[] {
  if (maxTextLength === undefined || reply.text.length <= maxTextLength) return [reply];
  const parts = splitText(reply.text, maxTextLength);
  const head = parts.slice(0, -1).map((text) => ({
    text,
    from: reply.from,
    ...(reply.agentName !== undefined ? { agentName: reply.agentName } : {}),
  }));
  return [...head, { ...reply, text: parts[parts.length - 1] }];
}

/**
 * Cuts text into pieces of at most `max` characters, at sentence ends and line breaks when it can, else at
 * spaces, and only as a last resort inside a word.
 */
export function splitText(text: string, max: number): string[] {
  if (max < 1) throw new RangeError('max must be at least 1');
  const sentences = text
    .split(/(?<=[.!?…])\s+|\n+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
  const pieces = sentences.flatMap((sentence) =>
    sentence.length <= max ? [sentence] : cutLong(sentence, max),
  );
  const out: string[] = [];
  for (const piece of pieces) {
    const last = out[out.length - 1];
    if (last !== undefined && last.length + 1 + piece.length <= max) out[out.length - 1] = `${last} ${piece}`;
    else out.push(piece);
  }
  return out;
}

function cutLong(sentence: string, max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of sentence.split(/\s+/)) {
    for (let chunk = word; chunk.length > 0; chunk = chunk.slice(max)) {
      const piece = chunk.slice(0, max);
      if (current.length === 0) current = piece;
      else if (current.length + 1 + piece.length <= max) current = `${current} ${piece}`;
      else {
        out.push(current);
        current = piece;
      }
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** `1. Track my order` per line: what a text-only channel shows instead of buttons. */
export function numberedOptions(buttons: readonly Button[]): string {
  return buttons.map((button, index) => `${index + 1}. ${button.title}`).join('\n');
}

/**
 * Maps what a customer typed back to the option it picks: its number (`2`, `2.`) or its title, ignoring case,
 * spacing and final punctuation. Anything else is undefined: plain text for the NLU.
 */
export function matchOption(typed: string, buttons: readonly Button[]): Button | undefined {
  const cleaned = typed.trim();
  const number = /^(\d{1,3})[.)]?$/.exec(cleaned);
  if (number) return buttons[Number(number[1]) - 1];
  const wanted = normalise(cleaned);
  if (wanted.length === 0) return undefined;
  return buttons.find((button) => normalise(button.title) === wanted);
}

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[.!?。]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function cardButtons(card: Card): Button[] {
  return card.buttons ?? [];
}

/** A card as one line: title, text and link. Its image is left out: a link to a picture helps nobody. */
function cardAsText(card: Card): string {
  return [card.title, card.text, card.url]
    .filter((part) => part !== undefined && part.length > 0)
    .join(' — ');
}

/** A card as words to say: its title and text (a link or a picture cannot be heard). */
function cardAsSpeech(card: Card): string {
  return [card.title, card.text]
    .filter((part): part is string => part !== undefined && part.length > 0)
    .map((part) => (/[.!?]$/.test(part) ? part : `${part}.`))
    .join(' ');
}

function altText(item: Media): string[] {
  return item.altText ? [/[.!?]$/.test(item.altText) ? item.altText : `${item.altText}.`] : [];
}

function mediaAsText(item: Media): string {
  return item.altText ? `${item.altText}: ${item.url}` : item.url;
}

function isAudio(item: Media): boolean {
  return item.contentType.toLowerCase().startsWith('audio/');
}

/** "You can say Track my order, or Opening hours.": options for a voice channel without buttons. */
function sayOptions(buttons: readonly Button[]): string {
  const titles = buttons.map((button) => button.title);
  const list = titles.length === 1 ? titles[0] : `${titles.slice(0, -1).join(', ')}, or ${titles.at(-1)}`;
  return `You can say ${list}.`;
}

function joinWords(...parts: string[]): string {
  return parts.filter((part) => part.length > 0).join(' ');
}

/** SSML as the plain words it speaks: tags removed, the five XML entities decoded, spacing tidied. */
export function stripSsml(ssml: string): string {
  return ssml
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.!?;:])/g, '$1')
    .trim();
}

/** Plain words (or SSML) as one `<speak>` document, with `extra` plain words spoken at the end. */
function asSsml(spoken: string, extra: string): string {
  const trimmed = spoken.trim();
  const inner = /^<speak[\s>]/.test(trimmed)
    ? trimmed.replace(/^<speak[^>]*>/, '').replace(/<\/speak>$/, '')
    : escapeXml(trimmed);
  return `<speak>${joinWords(inner.trim(), escapeXml(extra))}</speak>`;
}

function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[char]};`,
  );
}
