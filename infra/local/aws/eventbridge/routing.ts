/**
 * Where an accepted event goes: every enabled rule on its bus whose pattern matches (each
 * target gets its own asynchronous delivery), and every archive of the bus whose pattern
 * matches. Replayed events reach only the destination bus's rules, never an archive.
 */
import type { Delivery } from './delivery.js';
import type { ArchivedEvent, Bus, EventEnvelope, Rule } from './model.js';
import type { State } from './state.js';

export interface RoutingCounters {
  /** entries PutEvents accepted */
  eventsPut: number;
  /** (event, rule) pairs that matched */
  ruleMatches: number;
  /** events with no matching rule */
  unmatched: number;
  archived: number;
  replayed: number;
  scheduledFirings: number;
}

const DAY_MS = 86_400_000;

export class Router {
  readonly counters: RoutingCounters = {
    eventsPut: 0,
    ruleMatches: 0,
    unmatched: 0,
    archived: 0,
    replayed: 0,
    scheduledFirings: 0,
  };

  constructor(
    private readonly state: State,
    private readonly delivery: Delivery,
    private readonly onArchived: (archiveName: string, entry: ArchivedEvent) => void = () => {},
  ) {}

  /** a newly put event: to the bus's rules and archives */
  publish(bus: Bus, event: EventEnvelope): void {
    this.counters.eventsPut++;
    const receivedAt = this.state.clock.now();
    if (this.toRules(bus, event, receivedAt) === 0) this.counters.unmatched++;
    this.archive(bus, event, receivedAt);
  }

  /** an archived event again, marked with `replay-name`; `onlyRules` holds FilterArns */
  replay(bus: Bus, event: EventEnvelope, onlyRules?: ReadonlySet<string>): void {
    this.counters.replayed++;
    this.toRules(bus, event, this.state.clock.now(), onlyRules);
  }

  /** a scheduled rule's firing goes to that rule's targets only */
  fire(rule: Rule, event: EventEnvelope): void {
    this.counters.scheduledFirings++;
    if (rule.state !== 'DISABLED') this.deliverToTargets(rule, event, this.state.clock.now());
  }

  private toRules(
    bus: Bus,
    event: EventEnvelope,
    receivedAt: number,
    onlyRules?: ReadonlySet<string>,
  ): number {
    let matched = 0;
    for (const rule of bus.rules.values()) {
      if (rule.state === 'DISABLED' || !rule.matches) continue;
      if (onlyRules && !onlyRules.has(rule.arn)) continue;
      if (!rule.matches(event)) continue;
      matched++;
      this.counters.ruleMatches++;
      this.deliverToTargets(rule, event, receivedAt);
    }
    return matched;
  }

  private deliverToTargets(rule: Rule, event: EventEnvelope, receivedAt: number): void {
    for (const target of rule.targets.values())
      this.delivery.deliver({ event, ruleName: rule.name, ruleArn: rule.arn, target, receivedAt });
  }

  private archive(bus: Bus, event: EventEnvelope, archivedAt: number): void {
    for (const archive of this.state.archives.values()) {
      if (archive.sourceBusArn !== bus.arn) continue;
      if (archive.matches && !archive.matches(event)) continue;
      const eventJson = JSON.stringify(event);
      const entry: ArchivedEvent = {
        eventJson,
        eventTime: Date.parse(event.time),
        archivedAt,
        sizeBytes: Buffer.byteLength(eventJson, 'utf8'),
      };
      archive.events.push(entry);
      this.counters.archived++;
      this.onArchived(archive.name, entry);
    }
  }
}

/** drops events older than the archive's retention (0 keeps them forever) */
export function pruneArchive(archive: { retentionDays: number; events: ArchivedEvent[] }, now: number): void {
  if (archive.retentionDays <= 0) return;
  const oldest = now - archive.retentionDays * DAY_MS;
  const kept = archive.events.filter((entry) => entry.archivedAt >= oldest);
  if (kept.length !== archive.events.length) archive.events.splice(0, archive.events.length, ...kept);
}
