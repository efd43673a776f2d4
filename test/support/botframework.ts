import { generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import type { CredentialsFactory } from '../../connectors/botframework/botframework.auth';

/**
 * Local stand-ins for the two Microsoft services a Bot Framework bot talks to, speaking their protocols:
 * the channel (Bot Connector: it POSTs activities to the bot and receives replies under `/v3/conversations`)
 * and the token service (OpenID metadata, JWKS, RS256-signed channel tokens).
 */

/** One activity the bot sent to the channel. */
export interface ChannelPost {
  conversationId: string;
  /** Set when the bot replied to an activity (`/activities/{replyToId}`), absent for a proactive send. */
  replyToId?: string;
  activity: { type: string; text?: string; [key: string]: unknown };
  authorization?: string;
}

export interface LocalChannel {
  url: string;
  posts: ChannelPost[];
  /** Answer the next `count` posts with this status (a channel that is down). */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

export async function startLocalChannel(): Promise<LocalChannel> {
  const posts: ChannelPost[] = [];
  let failures = 0;
  let failStatus = 503;
  const server = createServer((req, res) => {
    void readJson(req).then((body) => {
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match || !body || typeof body !== 'object') {
        res.statusCode = 404;
        res.end();
        return;
      }
      if (failures > 0) {
        failures -= 1;
        res.statusCode = failStatus;
        res.setHeader('content-type', 'application/json');
        res.end('{"error":{"code":"down"}}');
        return;
      }
      posts.push({
        conversationId: decodeURIComponent(match[1]),
        ...(match[2] ? { replyToId: decodeURIComponent(match[2]) } : {}),
        activity: body as ChannelPost['activity'],
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      });
      res.statusCode = 200;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: randomUUID() }));
    });
  });
  const url = await listen(server);
  return {
    url,
    posts,
    failNext(count, status = 503) {
      failures = count;
      failStatus = status;
    },
    close: () => close(server),
  };
}

export interface LocalIssuer {
  /** `ToBotFromChannelOpenIdMetadataUrl` */
  metadataUrl: string;
  /** `ToBotFromChannelTokenIssuer`: the `iss` of the tokens it signs. */
  issuer: string;
  /** A channel token: RS256 with the published key unless `key`/`kid` say otherwise. */
  token(
    claims: Record<string, unknown>,
    options?: { key?: KeyObject; kid?: string; expiresIn?: number },
  ): string;
  /** True when `token` was signed with the published key (what the local channel checks on replies). */
  verifies(token: string): boolean;
  close(): Promise<void>;
}

export async function startLocalIssuer(): Promise<LocalIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `test-key-${randomUUID()}`;
  const jwk = publicKey.export({ format: 'jwk' });
  let base = '';
  const server = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          issuer: base,
          jwks_uri: `${base}/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    } else if (req.url === '/keys') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const key = {
        kty: 'RSA',
        use: 'sig',
        kid,
        n: jwk.n,
        e: jwk.e,
        endorsements: ['msteams', 'emulator', 'test'],
      };
      res.end(JSON.stringify({ keys: [key] }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  base = await listen(server);
  return {
    metadataUrl: `${base}/.well-known/openid-configuration`,
    issuer: base,
    token(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const header = { alg: 'RS256', typ: 'JWT', kid: options.kid ?? kid };
      const payload = {
        iss: base,
        iat: now,
        nbf: now - 5,
        exp: now + (options.expiresIn ?? 3600),
        ...claims,
      };
      const signingInput = `${b64(header)}.${b64(payload)}`;
      const signature = sign('RSA-SHA256', Buffer.from(signingInput), options.key ?? privateKey);
      return `${signingInput}.${signature.toString('base64url')}`;
    },
    verifies(token) {
      const [head, body, signature] = token.split('.');
      if (!head || !body || !signature) return false;
      return verify(
        'RSA-SHA256',
        Buffer.from(`${head}.${body}`),
        publicKey,
        Buffer.from(signature, 'base64url'),
      );
    },
    close: () => close(server),
  };
}

/** A key nobody published: what a forger signs with. */
export function forgerKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

/**
 * botbuilder's own credentials factory (so `isValidAppId`, the audience check, is botbuilder's), except that
 * the bot's outbound token comes from the local issuer instead of Azure AD.
 */
export function localCredentials(appId: string, password: string, bearer: string): CredentialsFactory {
  class LocalCredentialFactory extends ConfigurationServiceClientCredentialFactory {
    override async createCredentials(): ReturnType<
      ConfigurationServiceClientCredentialFactory['createCredentials']
    > {
      return {
        async signRequest(resource) {
          resource.headers.set('authorization', `Bearer ${bearer}`);
          return resource;
        },
      };
    }
  }
  return new LocalCredentialFactory({ MicrosoftAppId: appId, MicrosoftAppPassword: password });
}

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
