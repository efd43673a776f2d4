import type { HttpRequest, HttpResponse, HttpRoute } from '../core/http';
import { customerRefFor } from '../privacy/customer-ref';
import { createPrivacyService } from '../privacy/privacy-service';
import { createMemoryStores } from '../stores/memory';
import { seedCustomer } from '../test/support/privacy-seed';
import { createAgentDirectory, hashPassword } from './agents';
import { createDeskRoutes } from './desk.api';
import { createDeskPrivacyRoutes } from './privacy.api';
import { createSignInThrottle } from './sign-in-throttle';
import { createTokenIssuer } from './tokens';
import { createCaseService } from '../handoff/case-service';
import { silentLogger } from '../stores/silent-logger';

const cost = { N: 2 ** 4, r: 8, p: 1 };

async function setUp() {
  const clock = { now: () => Date.now() };
  const stores = createMemoryStores({ retentionMs: 60_000 });
  const directory = await createAgentDirectory([
    { username: 'dpo', name: 'Dana', passwordHash: await hashPassword('pw-dpo', cost), roles: ['privacy'] },
    { username: 'sam', name: 'Sam', passwordHash: await hashPassword('pw-sam', cost) },
  ]);
  const tokens = createTokenIssuer({
    secret: 'x'.repeat(32),
    clock,
    directory,
    revoked: stores.revokedTokens,
  });
  const customerRef = customerRefFor('test-audit-key');
  const privacy = createPrivacyService({ stores, clock, customerRef });
  const cases = createCaseService({
    stores,
    delivery: { deliver: async () => [] } as never,
    clock,
    logger: silentLogger,
  });
  const routes = [
    ...createDeskRoutes({
      cases,
      directory,
      tokens,
      logger: silentLogger,
      throttle: createSignInThrottle({ attempts: stores.attempts }),
      bus: stores.bus,
      auditReads: { audit: stores.audit, customerRef, clock },
    }),
    ...createDeskPrivacyRoutes({ tokens, privacy, audit: stores.audit, customerRef }),
  ];
  const bearer = async (username: string) => `Bearer ${await tokens.issue({ username, name: username })}`;
  return { stores, routes, bearer, customerRef };
}

function call(
  routes: HttpRoute[],
  method: string,
  path: string,
  authorization: string,
  params = {},
  query = '',
) {
  const route = routes.find((r) => r.method === method && r.path === path)!;
  const request: HttpRequest = {
    method: method as HttpRequest['method'],
    path,
    params,
    query: new URLSearchParams(query),
    headers: { authorization },
    body: undefined,
    rawBody: Buffer.alloc(0),
    remoteAddress: '10.1.2.3',
  };
  return route.handle(request) as Promise<HttpResponse>;
}

const json = (response: HttpResponse) =>
  'json' in response ? (response.json as Record<string, unknown>) : {};

it('lets only a privacy agent export and erase; audits case reads, the export and the erasure', async () => {
  const { stores, routes, bearer, customerRef } = await setUp();
  const seeded = await seedCustomer(stores, 2);
  const params = { id: seeded.customerId };
  const exportPath = '/api/privacy/customers/:id/export';
  expect((await call(routes, 'GET', exportPath, await bearer('sam'), params)).status).toBe(403);
  expect((await call(routes, 'GET', exportPath, 'Bearer nope', params)).status).toBe(401);

  expect(
    (await call(routes, 'GET', '/api/cases/:id', await bearer('sam'), { id: seeded.caseId })).status,
  ).toBe(200);
  const exported = await call(routes, 'GET', exportPath, await bearer('dpo'), params);
  expect(exported.status).toBe(200);
  const data = json(exported);
  expect((data['conversations'] as unknown[]).length).toBe(2);
  expect((data['consent'] as unknown[]).length).toBe(1);
  const page = await call(routes, 'GET', exportPath, await bearer('dpo'), params, 'format=html');
  expect('raw' in page && String(page.raw)).toContain(`hello from ${seeded.phone}`);

  const erased = await call(routes, 'POST', '/api/privacy/customers/:id/erase', await bearer('dpo'), params);
  expect(json(erased)['caseIds']).toEqual([seeded.caseId]);
  const trail = await call(
    routes,
    'GET',
    '/api/privacy/audit',
    await bearer('dpo'),
    {},
    `customer=${seeded.customerId}`,
  );
  const events = json(trail)['events'] as Array<{
    action: string;
    actor: { id: string };
    target: string;
    from: string;
  }>;
  expect(events.map((e) => [e.action, e.actor.id, e.target, e.from])).toEqual([
    ['read', 'sam', `case:${seeded.caseId}`, '10.1.2.3'],
    ['export', 'dpo', 'customer', '10.1.2.3'],
    ['export', 'dpo', 'customer', '10.1.2.3'],
    ['erase', 'dpo', 'customer', '10.1.2.3'],
  ]);
  expect(JSON.stringify(events)).not.toContain(seeded.customerId);
  expect(
    events.every(
      (e) =>
        'customerRef' in e && (e as { customerRef: string }).customerRef === customerRef(seeded.customerId),
    ),
  ).toBe(true);
});
