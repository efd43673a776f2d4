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

/**
 * A reply whose `{menu}` names the offered flows in the customer's language ("a, b or c", "a, b u c"),
 * with a button for each.
 */
export function menuReply(
  flows: CompiledFlow[],
  template: string,
  locale: string,
  title: (flow: CompiledFlow) => string,
): Reply {
  const titles = flows.map((flow) => title(flow).toLowerCase());
  const menu = new Intl.ListFormat(locale === 'en' ? 'en-GB' : locale, { type: 'disjunction' }).format(
    titles,
  );
  const buttons: Button[] = flows.map((flow) => ({
    title: title(flow),
    payload: `/${flow.spec.triggers[0]}`,
  }));
  return {
    text: renderTemplate(template, { menu }, locale),
    from: 'bot',
    ...(buttons.length ? { buttons } : {}),
  };
}
