/** Twilio's Calls API, the one call Parley needs: redirect a live call to new TwiML (transfer, hang up). */
export interface TwilioCallsApi {
  /** `POST /2010-04-01/Accounts/{sid}/Calls/{callSid}.json` with `Twiml`; rejects on a non-2xx answer. */
  update(callSid: string, twiml: string): Promise<void>;
}

export interface CallsApiOptions {
  apiUrl: string;
  accountSid: string;
  authToken: string;
  fetch?: typeof fetch;
}

export function createTwilioCallsApi(options: CallsApiOptions): TwilioCallsApi {
  const fetchImpl = options.fetch ?? fetch;
  const auth = Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64');
  const base = options.apiUrl.replace(/\/+$/, '');
  return {
    async update(callSid, twiml) {
      const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Calls/${encodeURIComponent(callSid)}.json`;
      const response = await fetchImpl(url, {
        method: 'POST',
        headers: {
          authorization: `Basic ${auth}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ Twiml: twiml }).toString(),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) {
        const detail = await response.text().catch(() => '');
        throw new Error(`Twilio call update failed: ${response.status} ${detail.slice(0, 200)}`);
      }
    },
  };
}
