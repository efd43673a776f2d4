import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { loadBotDefinition, startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import {
  messageSid,
  OUR_NUMBER,
  postSigned,
  startFakeTwilioApi,
  TEST_ACCOUNT_SID,
  TEST_AUTH_TOKEN,
  twimlMessages,
} from '../support/twilio';
import { silentLogger } from '../../stores/silent-logger';
import { WebChatCustomer } from '../support/webchat-client';

interface Received {
  to: string[];
  raw: string;
}

/** A local SMTP server (the `smtp-server` package) that keeps what it receives. */
async function startSmtpServer(): Promise<{ url: string; mails: Received[]; close(): Promise<void> }> {
  const mails: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('a link code by e-mail, in Spanish', () => {
  it('e-mails a code to the address on file and links the WhatsApp number that sends it', async () => {
    const smtp = await startSmtpServer();
    const api = await startFakeTwilioApi();
    const config = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'silent',
      PARLEY_RELOAD: 'false',
      PARLEY_SMTP_URL: smtp.url,
      PARLEY_MAIL_FROM: 'Acme <ayuda@acme.example>',
      PARLEY_TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
      PARLEY_TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
      PARLEY_TWILIO_API_URL: api.url,
      PARLEY_TWILIO_SMS_FROM: OUR_NUMBER,
    });
    const parley: RunningParley = await startParley(loadBotDefinition('acme'), config, {
      logger: silentLogger,
    });
    const web = await WebChatCustomer.start(parley.address.url, 'es-ES');
    try {
      // Raj's account has an e-mail address on file and no phone.
      expect((await web.say('quiero seguir desde mi móvil')).join(' ')).toMatch(/número de cuenta/);
      expect(await web.say('87654321')).toEqual([expect.stringMatching(/código postal/)]);
      expect((await web.say('M1 1AE')).join(' ')).toMatch(/por correo a r•••@example\.org/);
      expect(api.calls).toEqual([]);
      expect(smtp.mails.map((mail) => mail.to)).toEqual([['raj@example.org']]);
      const mail = smtp.mails[0]?.raw ?? '';
      expect(mail).toMatch(/Subject: =\?UTF-8\?Q\?Tu_c=C3=B3digo_de_Acme/);
      const code = /\b([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})\b/.exec(mail)?.[1];
      if (!code) throw new Error(`no code in the e-mail:\n${mail}`);

      const from = 'whatsapp:+34600111222';
      const params = { MessageSid: messageSid(), From: from, To: OUR_NUMBER, Body: code.toLowerCase() };
      const response = await postSigned(`${parley.address.url}/webhooks/twilio/messages`, params);
      expect(response.status).toBe(200);
      expect(twimlMessages(await response.text())).toEqual([expect.stringMatching(/Seguimos aquí/)]);
      expect(await parley.runtime.stores.identities.addresses(`webchat:${web.sessionId}`)).toContainEqual({
        channel: 'whatsapp',
        userId: '+34600111222',
      });
    } finally {
      await web.close();
      await parley.close();
      await api.close();
      await smtp.close();
    }
  }, 60_000);
});
