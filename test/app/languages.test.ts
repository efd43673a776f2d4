import { loadBotDefinition, startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { WebSocket } from 'ws';
import { DEFAULT_SOCKET_PATH } from '../../connectors/webchat/webchat.page';
import { silentLogger } from '../../stores/silent-logger';

/**
 * Languages end to end over the real HTTP server: the same running acme bot answers a Spanish customer in
 * Spanish and an English one in English at every step, follows a customer who switches language, and does
 * not flip on a one-word reply.
 */

interface RasaReply {
  recipient_id: string;
  text: string;
  buttons?: Array<{ title: string; payload: string }>;
}

const MONDAY_9AM = Date.UTC(2025, 5, 2, 9, 0);

let parley: RunningParley;

beforeAll(async () => {
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', PARLEY_RELOAD: 'false' });
  parley = await startParley(loadBotDefinition('acme'), config, {
    logger: silentLogger,
    clock: { now: () => MONDAY_9AM },
  });
});

afterAll(async () => {
  await parley.close();
});

async function send(sender: string, message: string, metadata?: object): Promise<RasaReply[]> {
  const response = await fetch(`${parley.address.url}/webhooks/rest/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sender, message, ...(metadata ? { metadata } : {}) }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as RasaReply[];
}

/** Sends each message in turn and checks the whole answer to each against its pattern. */
async function converse(sender: string, steps: Array<[string, RegExp]>): Promise<void> {
  for (const [message, expected] of steps) {
    const replies = await send(sender, message);
    const said = replies.map((reply) => reply.text).join(' | ');
    expect({ message, said }).toEqual({ message, said: expect.stringMatching(expected) });
  }
}

// Words only English replies use, and only Spanish ones: no reply may carry the other language's.
const ENGLISH = /\b(the|your|you|order|what|please|sorry|thanks)\b/i;
const SPANISH = /\b(el|la|tu|pedido|qué|gracias|lo siento|por favor|cuál)\b|¿|¡/i;

async function allIn(sender: string, steps: Array<[string, RegExp]>, other: RegExp): Promise<void> {
  for (const [message, expected] of steps) {
    const said = (await send(sender, message)).map((reply) => reply.text).join(' | ');
    expect({ message, said }).toEqual({ message, said: expect.stringMatching(expected) });
    expect({ message, said }).toEqual({ message, said: expect.not.stringMatching(other) });
  }
}

describe('a Spanish and an English customer on the same server', () => {
  it('order status: each answered in their own language at every step', async () => {
    await allIn(
      'ana',
      [
        ['¿dónde está mi pedido?', /^¿Cuál es tu número de pedido\?/],
        [
          'A1001',
          /^Buenas noticias, el pedido A1001 ya se ha enviado y debería llegar el miércoles, 4 de junio\.$/,
        ],
      ],
      ENGLISH,
    );
    await allIn(
      'bob',
      [
        ['where is my order?', /^What's your order number\?/],
        ['A1001', /^Good news, order A1001 has shipped and should arrive on Wednesday 4 June\.$/],
      ],
      SPANISH,
    );
  });

  it('booking: prompts, buttons and the confirmation follow the language', async () => {
    const first = await send('carmen', 'quiero pedir cita con un técnico');
    expect(first.map((reply) => reply.text)).toEqual([expect.stringMatching(/^¿Qué día te viene bien/)]);
    const window = await send('carmen', 'el jueves que viene');
    expect(window[0].text).toBe('¿Por la mañana, por la tarde o por la noche?');
    expect(window[0].buttons?.map((button) => button.title)).toEqual(['Mañana', 'Tarde', 'Noche']);
    await converse('carmen', [
      [
        '/book_appointment{"time_window":"morning"}',
        /^¿Reservo un técnico para el jueves, 5 de junio, por la mañana\?$/,
      ],
      ['sí', /^¡Reservado! Un técnico irá el jueves, 5 de junio, por la mañana\. Tu referencia es ENG-/],
    ]);
    await converse('dave', [
      ['I need an engineer to come round', /^Which day would suit you/],
      ['next Thursday', /^Morning, afternoon or evening\?$/],
      [
        '/book_appointment{"time_window":"morning"}',
        /^Shall I book an engineer for Thursday 12 June, in the morning\?$/,
      ],
      ['yes', /^Booked! An engineer will visit on Thursday 12 June in the morning\./],
    ]);
  });

  it('hours, password, balance and outage in Spanish', async () => {
    await allIn('elena', [['¿cuál es vuestro horario de atención?', /^Abrimos de lunes a viernes/]], ENGLISH);
    await allIn(
      'elena',
      [
        ['he olvidado mi contraseña', /^¿Cuál es el correo electrónico de tu cuenta\?$/],
        ['elena@example.com', /^Si elena@example\.com corresponde a una cuenta de Acme/],
      ],
      ENGLISH,
    );
    await allIn(
      'elena',
      [
        ['quiero consultar el saldo de mi cuenta', /^¿Cuál es tu número de cuenta de 8 cifras\?$/],
        ['12345678', /^¿Y el código postal de la dirección de la cuenta\?$/],
        ['SW1A 1AA', /^Gracias, ya te he verificado\. Tu saldo es de 42,50 £\.$/],
      ],
      ENGLISH,
    );
    await allIn(
      'elena-2',
      [
        ['no tengo internet', /^Siento que tengas problemas\. ¿Cuál es el código postal/],
        ['M1 1AE', /^Hay una avería conocida en M1: un cable de fibra dañado\./],
      ],
      ENGLISH,
    );
  });

  it('talk to a person: the handoff notice and the queue reply in Spanish, the English one in English', async () => {
    await allIn(
      'fernando',
      [
        ['quiero hablar con una persona', /^Te paso con un compañero\./],
        ['¿hola?', /^Gracias, lo he añadido a tu caso\./],
      ],
      ENGLISH,
    );
    await converse('gina', [['I want to talk to a person', /^I'm passing you to a colleague\./]]);
  });
});

describe('switching language', () => {
  it('answers a message in another language in that language, mid-conversation', async () => {
    await converse('hugo', [
      ['where is my order?', /^What's your order number\?/],
      ['perdona, prefiero hablar en español: ¿cuál es vuestro horario?', /^Abrimos de lunes a viernes/],
      // The order question is still open: it is asked again, now in Spanish.
      ['A1002', /^El pedido A1002 se está preparando\./],
    ]);
  });

  it('keeps the language through a one-word reply', async () => {
    await converse('irene', [
      ['¿dónde está mi pedido?', /^¿Cuál es tu número de pedido\?/],
      ['ok', /^Perdona, necesito un número de pedido como A1001\./],
      ['thanks', /^Perdona, necesito un número de pedido como A1001\./],
      ['A1002', /^El pedido A1002 se está preparando\./],
    ]);
  });

  it('follows the locale the channel states over the conversation and the guess', async () => {
    await converse('julia', [['¿dónde está mi pedido?', /^¿Cuál es tu número de pedido\?/]]);
    const replies = await send('julia', 'A1001', { locale: 'en-GB' });
    expect(replies.map((reply) => reply.text)).toEqual([
      'Good news, order A1001 has shipped and should arrive on Wednesday 4 June.',
    ]);
  });
});

describe('web chat', () => {
  /** Opens a session with the browser's language and collects the text of every reply frame. */
  async function chat(locale: string) {
    const url = `${parley.address.url.replace(/^http/, 'ws')}${DEFAULT_SOCKET_PATH}`;
    const socket = new WebSocket(url);
    const frames: Array<{ type: string; reply?: { text: string }; active?: boolean }> = [];
    socket.on('message', (data) => frames.push(JSON.parse(String(data)) as (typeof frames)[number]));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    /** Waits for the turn to end (typing off) and returns what the bot said in it. */
    const turnEnds = async (): Promise<string[]> => {
      const deadline = Date.now() + 5000;
      while (!frames.some((frame) => frame.type === 'typing' && frame.active === false)) {
        if (Date.now() > deadline) throw new Error('no reply within 5 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const turn = frames.splice(0, frames.findIndex((f) => f.type === 'typing' && f.active === false) + 1);
      return turn.flatMap((frame) => (frame.reply ? [frame.reply.text] : []));
    };
    socket.send(JSON.stringify({ type: 'hello', locale }));
    const greeting = await turnEnds();
    return {
      greeting,
      say: async (text: string) => {
        socket.send(JSON.stringify({ type: 'message', text }));
        return turnEnds();
      },
      close: () => socket.close(),
    };
  }

  it("greets in the browser's language and answers a Spanish journey in Spanish", async () => {
    const es = await chat('es-ES');
    try {
      expect(es.greeting).toEqual([
        expect.stringMatching(/^Hola, soy el asistente de Acme\. Puedo ayudarte con estado del pedido/),
      ]);
      expect(await es.say('¿dónde está mi pedido?')).toEqual([
        '¿Cuál es tu número de pedido? Empieza por A, como A1001.',
      ]);
      expect(await es.say('A1003')).toEqual([
        expect.stringMatching(/^El pedido A1003 se entregó el viernes, 30 de mayo\./),
      ]);
    } finally {
      es.close();
    }
    const en = await chat('en-GB');
    try {
      expect(en.greeting).toEqual([expect.stringMatching(/^Hi, I'm the Acme assistant\./)]);
      expect(await en.say('where is my order A1003?')).toEqual([
        expect.stringMatching(/^Order A1003 was delivered/),
      ]);
    } finally {
      en.close();
    }
  });
});
