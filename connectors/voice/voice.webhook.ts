import type { HttpRequest, HttpResponse } from '../../core/http';
import { isValidTwilioSignature, parseForm, signedUrl } from '../twilio/twilio.signature';
import { connectStreamTwiml, whisperTwiml } from './voice.twiml';

export const VOICE_WEBHOOK_PATH = '/webhooks/twilio/voice';
export const VOICE_WHISPER_PATH = '/webhooks/twilio/voice/whisper';
export const MEDIA_STREAM_PATH = '/webhooks/twilio/media';

export interface VoiceWebhookDeps {
  authToken: string;
  /** Parley's public base URL behind a proxy (what Twilio signed and can reach); else the request's host. */
  publicUrl?: string;
}

const E164_OR_CLIENT = /^(\+[1-9]\d{1,14}|client:[\w.-]{1,64}|sip:[^\s"<>]{1,200}|anonymous)$/;

function verified(deps: VoiceWebhookDeps, request: HttpRequest): ReturnType<typeof parseForm> | undefined {
  const params = parseForm(request.rawBody);
  const signature = request.headers['x-twilio-signature'];
  const url = signedUrl(request, deps.publicUrl);
  const given = typeof signature === 'string' ? signature : undefined;
  return isValidTwilioSignature(deps.authToken, url, params, given) ? params : undefined;
}

/** The base URL Twilio should call back on: the public one, or the request's own host. */
export function baseUrl(request: HttpRequest, publicUrl: string | undefined): string {
  return signedUrl(request, publicUrl).slice(0, -signedPathLength(request));
}

function signedPathLength(request: HttpRequest): number {
  const query = request.query.toString();
  return `${request.path}${query ? `?${query}` : ''}`.length;
}

const FORBIDDEN: HttpResponse = {
  status: 403,
  json: { error: 'forbidden', detail: 'missing or invalid X-Twilio-Signature' },
};

/**
 * `POST /webhooks/twilio/voice`: a call came in. Answers TwiML that connects a bidirectional Media Stream
 * to Parley's media WebSocket, passing the caller's number as a `<Parameter>` (Twilio's `start` event
 * carries it back). A bad signature is refused before anything happens.
 */
export function createVoiceWebhook(deps: VoiceWebhookDeps): (request: HttpRequest) => Promise<HttpResponse> {
  return async (request) => {
    const params = verified(deps, request);
    if (!params) return FORBIDDEN;
    const form = Object.fromEntries(params);
    const from = form.From ?? '';
    if (!E164_OR_CLIENT.test(from)) {
      return { status: 400, json: { error: 'invalid_request', detail: 'From is not a caller address' } };
    }
    const wss = baseUrl(request, deps.publicUrl).replace(/^http/, 'ws');
    const twiml = connectStreamTwiml(`${wss}${MEDIA_STREAM_PATH}`, {
      from,
      ...(form.To ? { to: form.To } : {}),
    });
    return { status: 200, raw: twiml, contentType: 'text/xml; charset=utf-8' };
  };
}

/** `POST /webhooks/twilio/voice/whisper?caseId=…`: what the agent hears when a transferred call is answered. */
export function createWhisperWebhook(
  deps: VoiceWebhookDeps,
): (request: HttpRequest) => Promise<HttpResponse> {
  return async (request) => {
    if (!verified(deps, request)) return FORBIDDEN;
    const caseId = request.query.get('caseId') ?? '';
    if (!/^[\w-]{1,64}$/.test(caseId)) return { status: 400, json: { error: 'invalid_request' } };
    return { status: 200, raw: whisperTwiml(caseId), contentType: 'text/xml; charset=utf-8' };
  };
}
