/**
 * The EventBridge service's state: buses, their rules and targets, archives and replays, and
 * the event envelope targets receive. Plain data; the action modules change it.
 */
import type { InputTransformer } from './input-transformer.js';
import type { CompiledPattern } from './pattern.js';

/** What a target receives, as the EventBridge user guide's "events" page lays it out. */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** RFC 3339, seconds precision */
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
  /** set on events a replay re-sends, to the replay's name */
  'replay-name'?: string;
}

export interface RetryPolicy {
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
}

export interface Target {
  id: string;
  arn: string;
  input?: string;
  inputPath?: string;
  inputTransformer?: InputTransformer;
  retryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  deadLetterArn?: string;
}

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export interface Rule {
  name: string;
  arn: string;
  busName: string;
  eventPattern?: string;
  matches?: CompiledPattern;
  scheduleExpression?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
  /** in insertion order: ListTargetsByRule returns them so */
  targets: Map<string, Target>;
  /** cancels the timer of a scheduled rule */
  stopSchedule?: () => void;
  tags: Map<string, string>;
}

export interface Bus {
  name: string;
  arn: string;
  description?: string;
  createdAt: number;
  rules: Map<string, Rule>;
  tags: Map<string, string>;
}

/**
 * An archived event is kept as its JSON text, parsed again only when a replay sends it: the
 * archive holds every event the bus ever received, and text is a fraction of the memory of the
 * parsed object (which would also keep every delivered event's detail alive).
 */
export interface ArchivedEvent {
  eventJson: string;
  /** the event's own `time`, in epoch ms: a replay's window selects on it */
  eventTime: number;
  archivedAt: number;
  sizeBytes: number;
}

export interface Archive {
  name: string;
  arn: string;
  sourceBusArn: string;
  description?: string;
  eventPattern?: string;
  matches?: CompiledPattern;
  /** 0: keep forever */
  retentionDays: number;
  createdAt: number;
  events: ArchivedEvent[];
}

export type ReplayState = 'STARTING' | 'RUNNING' | 'CANCELLING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

export interface Replay {
  name: string;
  arn: string;
  description?: string;
  archiveArn: string;
  destinationBusArn: string;
  filterArns?: string[];
  eventStartTime: number;
  eventEndTime: number;
  state: ReplayState;
  stateReason?: string;
  startedAt: number;
  endedAt?: number;
  lastReplayedEventTime?: number;
}
