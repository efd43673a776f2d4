import { loadConfig } from '../../app/config';
import { twilioSignature, type FormParam } from '../../connectors/twilio/twilio.signature';
import type { CliOutput } from '../commands/flows';

export interface SignOptions {
  url: string;
  param: string[];
  token?: string;
  curl: boolean;
}

/** Prints the signature (or a curl command carrying it); exit code 1 with a reason when it cannot. */
export function signCommand({ url, param, token, curl }: SignOptions, io: CliOutput): void {
  const authToken = token ?? loadConfig().twilio?.authToken;
  if (!authToken) {
    io.err('no auth token: pass --token or set PARLEY_TWILIO_AUTH_TOKEN\n');
    process.exitCode = 1;
    return;
  }
  const params: FormParam[] = [];
  for (const pair of param) {
    const at = pair.indexOf('=');
    if (at < 1) {
      io.err(`--param ${pair}: expected name=value\n`);
      process.exitCode = 1;
      return;
    }
    params.push([pair.slice(0, at), pair.slice(at + 1)]);
  }
  const signature = twilioSignature(authToken, url, params);
  if (!curl) {
    io.out(`${signature}\n`);
    return;
  }
  const fields = params.map(([name, value]) => ` \\\n  --data-urlencode ${shellQuote(`${name}=${value}`)}`);
  io.out(
    `curl -s ${shellQuote(url)} -H ${shellQuote(`X-Twilio-Signature: ${signature}`)}${fields.join('')}\n`,
  );
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
