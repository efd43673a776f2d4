import type { ChannelCapabilities } from '../../core/connector';
import { degradeReplies, stripSsml } from '../../core/degrade';
import type { Reply } from '../../core/message';

/**
 * A smart speaker: speaks SSML, shows one card in the Alexa app (and on screens), ends sessions, and cannot
 * reach the customer outside a request.
 */
export const ALEXA_CAPABILITIES: ChannelCapabilities = {
  text: false,
  buttons: false,
  cards: true,
  speech: 'ssml',
  audio: false,
  media: false,
  push: false,
  typing: false,
  endSession: true,
};

type OutputSpeech = { type: 'SSML'; ssml: string };
type AlexaCard =
  | { type: 'Simple'; title: string; content: string }
  | {
      type: 'Standard';
      title: string;
      text: string;
      image?: { smallImageUrl: string; largeImageUrl: string };
    };

/** The JSON answer to an Alexa request. */
export interface AlexaResponseBody {
  version: '1.0';
  response: {
    outputSpeech?: OutputSpeech;
    card?: AlexaCard;
    reprompt?: { outputSpeech: OutputSpeech };
    shouldEndSession?: boolean;
  };
}

/** An answer that says nothing (SessionEndedRequest, request types Parley does not handle). */
export const EMPTY_RESPONSE: AlexaResponseBody = { version: '1.0', response: {} };

/**
 * A turn's replies as one Alexa response: their speech joined into one SSML document, a card (the first
 * reply card, else the written words for the Alexa app), a reprompt (the last question, when the session
 * stays open) and `shouldEndSession` (a reply that ends the session closes it; otherwise the speaker keeps
 * listening).
 */
export function toAlexaResponse(replies: readonly Reply[], cardTitle: string): AlexaResponseBody {
  const fitted = degradeReplies(replies, ALEXA_CAPABILITIES);
  const spoken = fitted.map((reply) => innerSsml(reply.speech ?? '')).filter((part) => part.length > 0);
  const response: AlexaResponseBody['response'] = {};
  if (spoken.length > 0) response.outputSpeech = ssml(spoken.join(' '));
  const card = firstCard(fitted, cardTitle);
  if (card) response.card = card;
  const ends = fitted.some((reply) => reply.endSession === true);
  response.shouldEndSession = ends;
  if (!ends) {
    const question = lastQuestion(fitted);
    if (question?.speech) response.reprompt = { outputSpeech: ssml(innerSsml(question.speech)) };
  }
  return { version: '1.0', response };
}

/** Words spoken alone, closing the session (the too-long apology). */
export function spokenGoodbye(text: string): AlexaResponseBody {
  return toAlexaResponse([{ from: 'bot', text, endSession: true }], '');
}

function ssml(inner: string): OutputSpeech {
  return { type: 'SSML', ssml: `<speak>${inner}</speak>` };
}

/** The content of a `<speak>` document (degradeReplies always produces one for an SSML channel). */
function innerSsml(document: string): string {
  return document
    .trim()
    .replace(/^<speak[^>]*>/, '')
    .replace(/<\/speak>$/, '')
    .trim();
}

/** The reply the customer is expected to answer: one marked `expectInput`, else the last, if it asks something. */
function lastQuestion(replies: readonly Reply[]): Reply | undefined {
  const expecting = replies.filter((reply) => reply.expectInput === true).at(-1);
  if (expecting) return expecting;
  const last = replies.at(-1);
  return last && /[?¿]/.test(stripSsml(last.speech ?? last.text)) ? last : undefined;
}

function firstCard(replies: readonly Reply[], title: string): AlexaCard | undefined {
  const card = replies.flatMap((reply) => reply.cards ?? [])[0];
  if (card) {
    const text = [card.text, card.url].filter((part) => part !== undefined && part.length > 0).join('\n');
    return {
      type: 'Standard',
      title: card.title,
      text,
      ...(card.imageUrl ? { image: { smallImageUrl: card.imageUrl, largeImageUrl: card.imageUrl } } : {}),
    };
  }
  const content = replies
    .map((reply) => reply.text.trim())
    .filter((text) => text.length > 0)
    .join('\n');
  return content.length > 0 && title.length > 0 ? { type: 'Simple', title, content } : undefined;
}
