/** The services' dependency graph: checked for unknown services and cycles, walked in start order. */
import { InvalidArgument } from '../../errdefs';
import type { ServiceConfig } from '../types';

/**
 * Every service after the services it depends on. `where(service)` names the file
 * a bad dependency is reported against.
 */
export function startOrder(services: Record<string, ServiceConfig>, where: (service: string) => string): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      throw new InvalidArgument(`${where(trail[trail.length - 1])}: services.${trail[trail.length - 1]}.depends_on: dependency cycle detected: ${cycle.join(' -> ')}`);
    }
    state.set(name, 'visiting');
    for (const dep of Object.keys(services[name].depends_on)) {
      if (!Object.hasOwn(services, dep)) throw new InvalidArgument(`${where(name)}: services.${name}.depends_on: service "${name}" depends on undefined service "${dep}"`);
      visit(dep, [...trail, name]);
    }
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of Object.keys(services).sort()) visit(name, []);
  return order;
}

/** The named services and, transitively, what they depend on. */
export function withDependencies(services: Record<string, ServiceConfig>, names: string[]): Set<string> {
  const out = new Set<string>();
  const add = (n: string) => {
    if (out.has(n) || !Object.hasOwn(services, n)) return;
    out.add(n);
    for (const d of Object.keys(services[n].depends_on)) add(d);
  };
  names.forEach(add);
  return out;
}
