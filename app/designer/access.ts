import type { HttpRequest, HttpResponse } from '../../core/http';
import { bearerToken } from '../../connectors/shared/bearer';
import type { VerifiedToken } from '../../desk/tokens';

/** Who may use the flow viewer. */
export type DesignerAccess =
  /** Development: anyone who reaches the (loopback by default) server. */
  | { mode: 'open' }
  /** Elsewhere: a desk sign-in whose account has the `designer` role. */
  | { mode: 'designer-role'; verify(token: string): Promise<VerifiedToken | undefined> };

/**
 * The viewer's guard: undefined lets a request through, otherwise the refusal. The token comes as a
 * Bearer header, or `?token=` for the live-update socket (browsers cannot set headers on a WebSocket).
 */
export async function checkDesignerAccess(
  access: DesignerAccess,
  headers: { authorization?: string | undefined },
  query: URLSearchParams,
): Promise<HttpResponse | undefined> {
  if (access.mode === 'open') return undefined;
  const token = bearerToken(headers.authorization) ?? query.get('token') ?? undefined;
  const verified = token ? await access.verify(token) : undefined;
  if (!verified) return refuse(401, 'unauthorized', 'sign in with a desk account that has the designer role');
  // Compared as strings: the role list is the desk's, and other roles may be added beside this one.
  if (!(verified.agent.roles as readonly string[] | undefined)?.includes('designer'))
    return refuse(403, 'forbidden', 'this needs an account with the designer role');
  return undefined;
}

export function designerGuard(
  access: DesignerAccess,
): (request: HttpRequest) => Promise<HttpResponse | undefined> {
  return (request) => checkDesignerAccess(access, request.headers, request.query);
}

function refuse(status: number, error: string, detail: string): HttpResponse {
  return { status, json: { error, detail } };
}
