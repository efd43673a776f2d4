import type { Button, Reply } from '../core/message';
import type { CompiledFlow } from './compile';
import { renderTemplate } from './template';

/** The flows offered by help, launch and fallback: the configured ids, else every flow with a title. */
export function menuFlows(
  flows: ReadonlyMap<string, CompiledFlow>,
  menu: readonly string[] | undefined,
): CompiledFlow[] {
  const offered = (flow: CompiledFlow | undefined): flow is CompiledFlow =>
    flow !== undefined && flow.spec.triggers.length > 0;
  if (menu) return menu.map((id) => flows.get(id)).filter(offered);
  return [...flows.values()].filter((flow) => offered(flow) && flow.spec.title !== undefined);
}

/** A reply whose `{menu}` names the offered flows ("a, b or c"), with a button for each. */
export function menuReply(flows: CompiledFlow[], template: string): Reply {
  const titles = flows.map((flow) => (flow.spec.title ?? '').toLowerCase());
  const menu =
    titles.length > 1 ? `${titles.slice(0, -1).join(', ')} or ${titles.at(-1)}` : (titles[0] ?? '');
  const buttons: Button[] = flows.map((flow) => ({
    title: flow.spec.title ?? '',
    payload: `/${flow.spec.triggers[0]}`,
  }));
  return { text: renderTemplate(template, { menu }), from: 'bot', ...(buttons.length ? { buttons } : {}) };
}
