/**
 * Alexa's Progressive Response API: something to say while the answer is still being worked out
 * (`POST {apiEndpoint}/v1/directives`, authorised with the request's `apiAccessToken`). Alexa still needs
 * the real answer within 8 seconds of the request.
 */

/** Alexa's API hosts (North America, Europe, Far East): the only places the request's token is sent. */
export const ALEXA_API_ENDPOINT = /^https:\/\/api(\.(eu|fe))?\.amazonalexa\.com$/;

export interface ProgressiveRequest {
  apiEndpoint: string;
  apiAccessToken: string;
  /** The request being answered: Alexa plays the directive only during it. */
  requestId: string;
  /** A `<speak>` document. */
  ssml: string;
}

export type ProgressiveSender = (request: ProgressiveRequest) => Promise<void>;

const TIMEOUT_MS = 1500;

/** Sends a `VoicePlayer.Speak` directive; rejects on a network error or a non-2xx answer. */
export function createProgressiveSender(fetchImpl: typeof fetch = fetch): ProgressiveSender {
  return async ({ apiEndpoint, apiAccessToken, requestId, ssml }) => {
    const response = await fetchImpl(`${apiEndpoint.replace(/\/+$/, '')}/v1/directives`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiAccessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ header: { requestId }, directive: { type: 'VoicePlayer.Speak', speech: ssml } }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'error',
    });
    if (!response.ok) throw new Error(`progressive response refused: HTTP ${response.status}`);
  };
}
