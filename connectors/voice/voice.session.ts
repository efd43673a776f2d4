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
import { keyedValue, type KeypadForms } from './voice.keypad';

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
  /** Codes that start with fixed letters, per entity: keyed digits get the letters (A + 1001). */
  keypad?: KeypadForms;
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

/**
 * One turn's latency marks (`performance.now()` ms), from the final transcript (or `#`) to the first audio
 * frame sent back. Synthesis of the first sentence may start before the turn is handled (a read-back of what
 * was heard) and runs while the pipeline works, so the engine's share is only what lies on the critical path.
 */
export interface TurnTiming {
  /** The final transcript arrived (or `#` was keyed). */
  finalAt: number;
  /** The turn pipeline answered (the turn is committed). */
  handledAt: number;
  /** Synthesis of the first sentence started, and its audio was ready. */
  synthesisStartedAt: number;
  synthesizedAt: number;
  /** The first media frame went out on the socket. */
  firstFrameAt: number;
  /** The first sentence, so an engine's own timing can be matched to this turn. */
  firstSentence: string;
  /** CPU time this process used from `finalAt` to `firstFrameAt` (Parley's work, whatever else runs). */
  cpuMs: number;
}

/** When something happened, in wall-clock and in this process's CPU time. */
interface Moment {
  at: number;
  cpu: NodeJS.CpuUsage;
}

function moment(): Moment {
  return { at: performance.now(), cpu: process.cpuUsage() };
}

type Ending = 'hang-up' | { transfer: string } | undefined;

/** One piece of synthesised speech, with when its synthesis ran. */
interface Synthesis {
  text: string;
  audio: Buffer;
  startedAt: number;
  doneAt: number;
}

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
    const started = moment();
    this.enqueue(() => this.turn({ kind: 'launch' }, started));
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
      const final = moment();
      this.stream = undefined;
      stream.close();
      this.listen();
      this.heard(transcript, final);
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

  private heard(transcript: Transcript, final: Moment): void {
    const { text, codes } = heardText(transcript.text);
    if (text.length === 0) return this.waitForCaller();
    const confidence = transcript.confidence ?? 0;
    const sensitive = this.asking?.sensitive === true;
    this.enqueue(() => this.turn(heardInput({ input: 'speech', text, confidence }), final, sensitive, codes));
  }

  private submitDigits(): void {
    clearTimeout(this.digitTimer);
    const asks = this.asking;
    const entity = asks && (asks.entity ?? asks.slot);
    const digits = keyedValue(this.digits, entity ? this.deps.settings.keypad?.[entity] : undefined);
    this.digits = '';
    if (digits.length === 0) return;
    const sensitive = asks?.sensitive === true;
    const keyed = moment();
    this.enqueue(() => this.turn(heardInput({ input: 'dtmf', digits }), keyed, sensitive, [digits]));
  }

  private enqueue(work: () => Promise<void>): void {
    this.turns = this.turns.then(work).catch((error: unknown) => {
      this.log.error({ err: error, conversationId: this.conversationId }, 'call turn failed');
    });
  }

  private async turn(
    input: Pick<Message, 'kind' | 'text' | 'speech' | 'metadata'>,
    final: Moment,
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
    // Read back what was understood (never card details): it is synthesised while the bot works on the answer.
    const readBack =
      sensitive || codes.length === 0
        ? undefined
        : this.synthesize(this.text('voice.heard', { code: codes.map(spellOut).join(', and ') }));
    readBack?.catch(() => undefined); // awaited by speak; a failed turn never gets there
    const replies = await this.deps.runtime.handle(message);
    const handledAt = performance.now();
    this.lastReplies = replies;
    const { sentences, ending } = this.plan(replies);
    // Listening with this turn's hints (the slot just asked, the options just offered) starts once the first
    // frame is out: a recogniser may build a grammar for them, which must not hold up the answer.
    const pieces = readBack ? [readBack, ...sentences] : sentences;
    await this.speak(pieces, { final, handledAt }, () => this.listenAgain());
    if (this.ended) return;
    if (ending === undefined) return this.waitForCaller();
    await this.player?.idle();
    if (ending === 'hang-up') return this.end();
    await this.deps.transfer(call.callSid, ending.transfer);
    this.stop();
  }

  private listenAgain(): void {
    this.stream?.close();
    this.stream = undefined;
    this.listen();
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
    // The call back ends with goodbye and the line goes quiet: anything said after it (the out-of-hours
    // notice) would follow the goodbye.
    if (callBack && opened) spoken.push(...spoken.splice(replies.indexOf(opened), 1));
    const sentences = degradeReplies(spoken, this.deps.settings.capabilities).flatMap((reply) =>
      reply.speech ? speechPieces(reply.speech, this.deps.settings.capabilities.speech) : [],
    );
    if (opened?.handoff)
      return { sentences, ending: callBack ? 'hang-up' : { transfer: opened.handoff.caseId } };
    return { sentences, ending: replies.some((reply) => reply.endSession) ? 'hang-up' : undefined };
  }

  private synthesize(text: string): Promise<Synthesis> {
    const startedAt = performance.now();
    return this.deps.tts
      .synthesize({ text, locale: this.deps.settings.locale }, MULAW_8K)
      .then((audio) => ({ text, audio, startedAt, doneAt: performance.now() }));
  }

  /**
   * Synthesises piece by piece (a sentence, or one already under way), the next while the previous plays;
   * a barge-in stops it. `onFirstFrame` runs once the first frame is out (or when there is nothing to say).
   */
  private async speak(
    pieces: readonly (string | Promise<Synthesis>)[],
    turn?: { final: Moment; handledAt: number },
    onFirstFrame: () => void = () => undefined,
  ): Promise<void> {
    const player = this.player;
    let started = false;
    const firstFrame = (synthesis: Synthesis, at: number) => {
      if (started) return;
      started = true;
      if (turn)
        this.deps.onTiming?.({
          finalAt: turn.final.at,
          handledAt: turn.handledAt,
          cpuMs: cpuMsSince(turn.final.cpu),
          synthesisStartedAt: synthesis.startedAt,
          synthesizedAt: synthesis.doneAt,
          firstFrameAt: at,
          firstSentence: synthesis.text,
        });
      onFirstFrame();
    };
    const begin = (piece: string | Promise<Synthesis> | undefined) => {
      const synthesis = typeof piece === 'string' ? this.synthesize(piece) : piece;
      synthesis?.catch(() => undefined); // a barge-in may leave it unheard
      return synthesis;
    };
    this.speaking = player !== undefined && pieces.length > 0;
    try {
      let next = this.speaking ? begin(pieces[0]) : undefined;
      for (let i = 1; next && player && this.speaking; i += 1) {
        const synthesis = await next;
        if (!this.speaking) break;
        // play() sends the first frame before it returns; only then does the next synthesis start (spawning
        // a process blocks for milliseconds).
        const playing = player.play(synthesis.audio, (at) => firstFrame(synthesis, at));
        next = begin(pieces[i]);
        if (!(await playing)) break;
      }
      if (this.speaking) player?.mark('reply');
    } finally {
      this.speaking = false;
      if (!started) onFirstFrame();
    }
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
    if (this.silences > this.deps.settings.maxSilences) {
      await this.speak([this.text('voice.silentGoodbye')]);
      await this.player?.idle();
      return this.end();
    }
    await this.speak([this.text('voice.stillThere')]);
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

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** A reply's speech as the pieces synthesis streams: sentences of plain words, or one SSML document. */
function speechPieces(speech: string, mode: ChannelCapabilities['speech']): string[] {
  if (mode === 'ssml') return [speech];
  return spellCodesForSpeech(stripSsml(speech))
    .split(/(?<=[.!?…])\s+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}
