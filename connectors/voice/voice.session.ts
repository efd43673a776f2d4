import { degradeReplies, stripSsml } from '../../core/degrade';
import type { ChannelCapabilities } from '../../core/connector';
import type { Message, Reply } from '../../core/message';
import type { MessageCatalogue } from '../../core/messages';
import type { Clock, Logger } from '../../core/ports';
import type { ConversationRuntime } from '../../core/runtime';
import type {
  AudioFormat,
  RecognitionStream,
  SpeechToText,
  TextToSpeech,
  Transcript,
} from '../../core/speech';
import { Player } from './voice.player';
import type { OutboundEvent, StartEvent } from './voice.protocol';
import { callMessage, heardInput } from './voice.message';
import { heardText, spellCodesForSpeech, spellOut } from './voice.spoken';

/** What Twilio Media Streams carry both ways. */
export const MULAW_8K: AudioFormat = { encoding: 'mulaw', sampleRateHertz: 8000 };

export interface CallSettings {
  capabilities: ChannelCapabilities;
  locale: string;
  /** The bot's phrases (training phrases, entity values): recognition hints on every turn. */
  phrases: readonly string[];
  /** Quiet time after the bot finished speaking before "Are you still there?". */
  silenceMs: number;
  /** Reprompts after silence before hanging up. */
  maxSilences: number;
  /** Keyed digits are sent this long after the last key, if `#` never comes. */
  dtmfTimeoutMs: number;
  /** Real time per 20 ms frame (tests go faster). */
  frameMs: number;
  /** Whether a person can take the call now (a transfer number or SIP address is configured). */
  canTransfer: boolean;
}

export interface CallSessionDeps {
  runtime: ConversationRuntime;
  stt: SpeechToText;
  tts: TextToSpeech;
  messages: MessageCatalogue;
  logger: Logger;
  clock: Clock;
  settings: CallSettings;
  send(event: OutboundEvent): void;
  /** Ends the media stream: Twilio goes on to the TwiML after `<Connect>`, `<Hangup/>`. */
  hangUp(): void;
  /** Redirects the live call to a person with the case id (Twilio call update with `<Dial>`). */
  transfer(callSid: string, caseId: string): Promise<void>;
  /** Latency figures per turn, for the benchmark and the log. */
  onTiming?(timing: TurnTiming): void;
}

/** From the final transcript (or `#`) to the first audio frame sent back; the engines' share is TTS. */
export interface TurnTiming {
  finalAt: number;
  handledAt: number;
  firstAudioAt: number;
  synthesisMs: number;
  firstFrameAt: number;
}

type Ending = 'hang-up' | { transfer: string } | undefined;

/**
 * One phone call: listens (a recognition stream per utterance, biased to what the bot just asked), turns
 * each final transcript or keyed number into a turn, speaks the replies sentence by sentence, and takes
 * turns like a person would: the caller can interrupt (barge-in), silence is met with a reprompt and, if it
 * goes on, a polite goodbye.
 */
export class CallSession {
  private readonly log: Logger;
  private player: Player | undefined;
  private call: { callSid: string; from: string; streamSid: string } | undefined;
  private stream: RecognitionStream | undefined;
  private lastReplies: Reply[] = [];
  private turns: Promise<void> = Promise.resolve();
  private sequence = 0;
  private digits = '';
  private digitTimer: NodeJS.Timeout | undefined;
  private silenceTimer: NodeJS.Timeout | undefined;
  private silences = 0;
  private ended = false;
  /** Speech output under way (a turn's replies); barge-in stops it. */
  private speaking = false;

  constructor(private readonly deps: CallSessionDeps) {
    this.log = deps.logger.child({ channel: 'voice' });
  }

  get conversationId(): string | undefined {
    return this.call && `voice:${this.call.callSid}`;
  }

  start(event: StartEvent): void {
    const from = event.start.customParameters.from ?? 'anonymous';
    this.call = { callSid: event.start.callSid, from, streamSid: event.streamSid };
    this.player = new Player({
      send: (out) => this.deps.send(out),
      streamSid: event.streamSid,
      frameMs: this.deps.settings.frameMs,
    });
    this.listen();
    this.enqueue(() => this.turn({ kind: 'launch' }, Date.now()));
  }

  media(audio: Buffer): void {
    this.stream?.write(audio);
  }

  dtmf(digit: string): void {
    if (!this.call || this.ended) return;
    this.interrupt();
    clearTimeout(this.digitTimer);
    if (digit === '#') return this.submitDigits();
    if (digit === '*') {
      this.digits = '';
      return;
    }
    this.digits += digit;
    this.digitTimer = setTimeout(() => this.submitDigits(), this.deps.settings.dtmfTimeoutMs);
  }

  mark(name: string): void {
    this.player?.marked(name);
  }

  stop(): void {
    this.ended = true;
    clearTimeout(this.digitTimer);
    clearTimeout(this.silenceTimer);
    this.stream?.close();
    this.stream = undefined;
  }

  /** The slot the bot's last words asked, if any: hints, and whether input must stay out of the record. */
  private get asking(): Reply['asks'] {
    return this.lastReplies.findLast((reply) => reply.asks)?.asks;
  }

  private listen(): void {
    if (this.ended) return;
    const asks = this.asking;
    const offered = this.lastReplies.flatMap((reply) => reply.buttons ?? []).map((button) => button.title);
    const stream = this.deps.stt.open(MULAW_8K, {
      locale: this.deps.settings.locale,
      phrases: [...offered, ...this.deps.settings.phrases],
      ...(asks ? { slot: asks.entity ?? asks.slot } : {}),
    });
    this.stream = stream;
    stream.onSpeechStart(() => {
      if (this.stream === stream) this.interrupt();
    });
    stream.onTranscript((transcript) => {
      if (this.stream !== stream || !transcript.final) return;
      this.stream = undefined;
      stream.close();
      this.listen();
      this.heard(transcript);
    });
    stream.onError((error) => {
      this.log.warn({ err: error }, 'speech recognition failed: listening again');
      if (this.stream !== stream) return;
      stream.close();
      this.stream = undefined;
      setTimeout(() => this.listen(), 200);
    });
  }

  /** The caller spoke or keyed: barge-in if the bot is talking, and the silence count starts over. */
  private interrupt(): void {
    clearTimeout(this.silenceTimer);
    this.silences = 0;
    if (this.speaking || this.player?.busy) {
      this.speaking = false;
      this.player?.clear();
    }
  }

  private heard(transcript: Transcript): void {
    const finalAt = Date.now();
    const { text, codes } = heardText(transcript.text);
    if (text.length === 0) return this.waitForCaller();
    const confidence = transcript.confidence ?? 0;
    const sensitive = this.asking?.sensitive === true;
    this.enqueue(() =>
      this.turn(heardInput({ input: 'speech', text, confidence }), finalAt, sensitive, codes),
    );
  }

  private submitDigits(): void {
    clearTimeout(this.digitTimer);
    const digits = this.digits;
    this.digits = '';
    if (digits.length === 0) return;
    const sensitive = this.asking?.sensitive === true;
    const at = Date.now();
    this.enqueue(() => this.turn(heardInput({ input: 'dtmf', digits }), at, sensitive, [digits]));
  }

  private enqueue(work: () => Promise<void>): void {
    this.turns = this.turns.then(work).catch((error: unknown) => {
      this.log.error({ err: error, conversationId: this.conversationId }, 'call turn failed');
    });
  }

  private async turn(
    input: Pick<Message, 'kind' | 'text' | 'speech' | 'metadata'>,
    finalAt: number,
    sensitive = false,
    codes: string[] = [],
  ): Promise<void> {
    const call = this.call;
    if (!call || this.ended) return;
    this.sequence += 1;
    const message = callMessage(
      call,
      this.sequence,
      sensitive ? { ...input, metadata: { ...input.metadata, sensitive: true } } : input,
      this.deps.settings.locale,
      this.deps.clock.now(),
    );
    // Read back what was understood while the bot works on the answer (never card details).
    const readBack =
      sensitive || codes.length === 0
        ? []
        : [this.text('voice.heard', { code: codes.map(spellOut).join(', and ') })];
    const replies = await this.deps.runtime.handle(message);
    const handledAt = Date.now();
    this.lastReplies = replies;
    // Listen with this turn's hints (the slot just asked, the options just offered).
    this.stream?.close();
    this.listen();
    const { sentences, ending } = this.plan(replies);
    await this.speak([...readBack, ...sentences], finalAt, handledAt);
    if (this.ended) return;
    if (ending === undefined) return this.waitForCaller();
    await this.player?.idle();
    if (ending === 'hang-up') return this.end();
    await this.deps.transfer(call.callSid, ending.transfer);
    this.stop();
  }

  /** What to say for these replies, sentence by sentence, and how the call goes on afterwards. */
  private plan(replies: readonly Reply[]): { sentences: string[]; ending: Ending } {
    const opened = replies.find((reply) => reply.handoff);
    const callBack =
      replies.some((reply) => reply.handoff?.callBack) || (opened && !this.deps.settings.canTransfer);
    const spoken = replies.map((reply) => {
      if (reply !== opened) return reply;
      const key = callBack ? 'voice.callBack' : 'voice.transferring';
      return { ...reply, text: this.text(key), speech: this.text(key) };
    });
    const sentences = degradeReplies(spoken, this.deps.settings.capabilities).flatMap((reply) =>
      reply.speech ? speechPieces(reply.speech, this.deps.settings.capabilities.speech) : [],
    );
    if (opened?.handoff)
      return { sentences, ending: callBack ? 'hang-up' : { transfer: opened.handoff.caseId } };
    return { sentences, ending: replies.some((reply) => reply.endSession) ? 'hang-up' : undefined };
  }

  /** Synthesises sentence by sentence, the next while the previous plays; a barge-in stops it. */
  private async speak(sentences: readonly string[], finalAt: number, handledAt: number): Promise<void> {
    const player = this.player;
    if (!player || sentences.length === 0) return;
    this.speaking = true;
    player.resetFirstFrame();
    const synthesize = (sentence: string) => {
      const started = Date.now();
      return this.deps.tts
        .synthesize({ text: sentence, locale: this.deps.settings.locale }, MULAW_8K)
        .then((audio) => ({ audio, ms: Date.now() - started }));
    };
    let next = synthesize(sentences[0] as string);
    for (let i = 0; i < sentences.length && this.speaking; i += 1) {
      const { audio, ms } = await next;
      if (!this.speaking) break;
      if (i + 1 < sentences.length) next = synthesize(sentences[i + 1] as string);
      const playing = player.play(audio);
      if (i === 0 && player.lastFirstFrameAt !== undefined) {
        this.deps.onTiming?.({
          finalAt,
          handledAt,
          firstAudioAt: handledAt + ms,
          synthesisMs: ms,
          firstFrameAt: player.lastFirstFrameAt,
        });
      }
      if (!(await playing)) break;
    }
    if (this.speaking) player.mark('reply');
    this.speaking = false;
  }

  /** After the bot spoke: wait for the caller; silence earns a reprompt, then a goodbye. */
  private waitForCaller(): void {
    clearTimeout(this.silenceTimer);
    void this.player?.idle().then(() => {
      if (this.ended || this.speaking) return;
      this.silenceTimer = setTimeout(() => this.enqueue(() => this.silence()), this.deps.settings.silenceMs);
    });
  }

  private async silence(): Promise<void> {
    if (this.ended || this.speaking) return;
    this.silences += 1;
    const now = Date.now();
    if (this.silences > this.deps.settings.maxSilences) {
      await this.speak([this.text('voice.silentGoodbye')], now, now);
      await this.player?.idle();
      return this.end();
    }
    await this.speak([this.text('voice.stillThere')], now, now);
    this.waitForCaller();
  }

  private end(): void {
    if (this.ended) return;
    this.stop();
    this.deps.hangUp();
  }

  private text(key: string, vars?: Record<string, string>): string {
    return this.deps.messages.text(this.deps.settings.locale, key, vars);
  }
}

/** A reply's speech as the pieces synthesis streams: sentences of plain words, or one SSML document. */
function speechPieces(speech: string, mode: ChannelCapabilities['speech']): string[] {
  if (mode === 'ssml') return [speech];
  return spellCodesForSpeech(stripSsml(speech))
    .split(/(?<=[.!?…])\s+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}
