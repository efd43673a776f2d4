import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadBotDefinition, startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { silentLogger } from '../../stores/silent-logger';
import { newCommand } from '../../cli/actions/new';
import { testCommand } from '../../cli/actions/test';
import { runBotTests } from '../../app/bot-tests';
import { startRedisServer } from '../support/redis-server';

const ROOT = resolve(__dirname, '..', '..');

/** Runs a command to its end; its output and exit code. */
function run(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ out: string; err: string; code: number | null }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, DOTENV_CONFIG_QUIET: 'true', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (code) => done({ out, err, code }));
  });
}

/** `npm start` (app/main.ts) until it prints its REST address; resolves with the URL and a stop. */
function startServer(args: string[], env: NodeJS.ProcessEnv): Promise<{ url: string; stop: () => void }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DOTENV_CONFIG_QUIET: 'true', PORT: '0', LOG_LEVEL: 'silent', ...env },
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const rest = /REST\s+POST (\S+)/.exec(out);
      if (rest) done({ url: rest[1], stop: () => child.kill('SIGTERM') });
    });
    child.on('close', (code) => fail(new Error(`npm start exited (${code}): ${err || out}`)));
  });
}

async function say(url: string, sender: string, message: string): Promise<string[]> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sender, message }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { text: string }[]).map((reply) => reply.text);
}

describe('a first bot: parley new, start it, talk to it, test it', () => {
  const parent = mkdtempSync(join(tmpdir(), 'parley-new-'));
  const dir = join(parent, 'shop');
  const io = { out: jest.fn(), err: jest.fn() };
  let parley: RunningParley | undefined;

  beforeAll(async () => {
    await newCommand(dir, { template: 'support', language: 'en,es' }, io);
  });
  afterAll(async () => {
    await parley?.close();
    rmSync(parent, { recursive: true, force: true });
    process.exitCode = undefined;
  });

  it('writes a bot outside the repository that imports Parley by package name', () => {
    expect(readFileSync(join(dir, 'index.ts'), 'utf8')).toContain("from 'parley'");
    expect(loadBotDefinition(dir)).toMatchObject({ name: 'shop', companyName: 'Shop', directory: dir });
    expect(io.out).toHaveBeenCalledWith(expect.stringContaining(`linked node_modules/parley -> ${ROOT}`));
  });

  it('answers over REST: its flows, help, and a person', async () => {
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', PARLEY_RELOAD: 'false' });
    parley = await startParley(loadBotDefinition(dir), config, { logger: silentLogger });
    const url = `${parley.address.url}/webhooks/rest/webhook`;
    expect(await say(url, 'ana', 'help')).toEqual([
      expect.stringContaining('I can help with order status or opening hours'),
    ]);
    expect(await say(url, 'ana', 'where is my order 10001?')).toEqual(['Order 10001 is shipped.']);
    expect(await say(url, 'ana', 'what are your opening hours?')).toEqual([
      "We're open Monday to Friday, 9am to 5pm.",
    ]);
    expect((await say(url, 'ana', 'I want to talk to a person')).join(' ')).toMatch(
      /passing you to a colleague/i,
    );
    const cases = await parley.runtime.stores.cases.list();
    expect(cases.map((item) => item.package.reason)).toEqual(['customer_request']);
    expect(await say(url, 'ben', '¿dónde está mi pedido 10002?')).toEqual([
      'Estado del pedido 10002: processing.',
    ]);
  });

  it('passes `parley test --coverage` with every state and transition covered, and writes JUnit XML', async () => {
    const junit = join(parent, 'junit.xml');
    const result = await run(
      ['bin/parley.js', 'test', '--bot', dir, '--coverage', '--min-coverage', '100', '--junit', junit],
      {},
    );
    expect(result).toMatchObject({ code: 0 });
    expect(result.out).toContain('11 passed, 0 failed (11 conversations)');
    expect(result.out).toMatch(/order_status\s+6\/6\s+6\/6/);
    expect(result.out).toContain('states 100.0%, transitions 100.0% covered');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuites name="shop" tests="11" failures="0">');
    expect(xml).toContain('name="asking for a person"');
  });

  it('runs under `npm start -- --bot <dir>` and `PARLEY_BOT=<dir> npm start`', async () => {
    const servers = await Promise.all([
      startServer(['--bot', dir], {}),
      startServer([], { PARLEY_BOT: dir }),
    ]);
    try {
      for (const server of servers) {
        expect(await say(server.url, 'cy', 'where is my order 10001?')).toEqual(['Order 10001 is shipped.']);
      }
    } finally {
      for (const server of servers) server.stop();
    }
  });

  it('passes on Redis too, run after run on the same database', async () => {
    const redis = await startRedisServer();
    try {
      const bot = loadBotDefinition(dir);
      for (const attempt of [1, 2]) {
        const { results } = await runBotTests(bot, { redisUrl: redis.url });
        const failures = results.flatMap((result) => (result.failure ? [result.failure] : []));
        expect({ attempt, failures }).toEqual({ attempt, failures: [] });
      }
    } finally {
      await redis.stop();
    }
  });

  it('fails `parley test` on a broken script and under the minimum coverage, naming what no script reaches', async () => {
    const out = jest.fn();
    const err = jest.fn();
    writeFileSync(
      join(dir, 'tests', 'broken.conv.yaml'),
      'conversations:\n  - name: wrong answer\n    steps:\n      - user: help\n      - bot: something else\n',
    );
    await testCommand({ bot: dir }, { out, err });
    expect(process.exitCode).toBe(1);
    expect(out.mock.calls.join('')).toMatch(
      /✗ tests\/broken\.conv\.yaml: wrong answer\n.*broken\.conv\.yaml:5/,
    );
    process.exitCode = undefined;

    rmSync(join(dir, 'tests', 'broken.conv.yaml'));
    rmSync(join(dir, 'tests', 'es.conv.yaml'));
    writeFileSync(
      join(dir, 'tests', 'conversations.conv.yaml'),
      'conversations:\n  - name: shipped\n    steps:\n      - user: where is my order 10001\n      - bot: Order 10001 is shipped.\n',
    );
    await testCommand({ bot: dir, minCoverage: '80' }, { out, err });
    expect(process.exitCode).toBe(1);
    // 3 of 8 states (get_order, look_up, found) and 2 of 7 transitions (filled, done [orderFound]).
    expect(err.mock.calls.join('')).toContain('coverage under 80%: states 37.5%, transitions 28.6%');
    expect(out.mock.calls.join('')).toContain('not reached: state system_down');
    expect(out.mock.calls.join('')).toContain('not taken:   look_up --error--> system_down');
    process.exitCode = undefined;
  });
});
