/** The service's state and the look-ups every action shares (each failing as AWS does). */
import { AwsApiError } from '../api-error.js';
import type { Clock } from '../context.js';
import type { ArchiveStore } from './archive-store.js';
import type { Arns } from './arns.js';
import type { Archive, Bus, Replay, Rule } from './model.js';

export interface State {
  readonly arns: Arns;
  readonly clock: Clock;
  readonly buses: Map<string, Bus>;
  readonly archives: Map<string, Archive>;
  readonly replays: Map<string, Replay>;
  /** set when the service keeps archives on disk (options.dataDir) */
  readonly store?: ArchiveStore;
}

export function notFound(message: string): AwsApiError {
  return new AwsApiError('ResourceNotFoundException', message);
}

export function findBus(state: State, name: string): Bus {
  const bus = state.buses.get(name);
  if (!bus) throw notFound(`Event bus ${name} does not exist.`);
  return bus;
}

export function findRule(state: State, busName: string, ruleName: string): Rule {
  const rule = findBus(state, busName).rules.get(ruleName);
  if (!rule) throw notFound(`Rule ${ruleName} does not exist on EventBus ${busName}.`);
  return rule;
}

export function findArchive(state: State, name: string): Archive {
  const archive = state.archives.get(name);
  if (!archive) throw notFound(`Archive ${name} does not exist.`);
  return archive;
}

export function findReplay(state: State, name: string): Replay {
  const replay = state.replays.get(name);
  if (!replay) throw notFound(`Replay ${name} does not exist.`);
  return replay;
}

/** sorts by name, as AWS's List* calls return */
export function byName<T extends { name: string }>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
