/**
 * A target's InputTransformer: values picked from the event by InputPathsMap, written into
 * InputTemplate, as the EventBridge user guide's "input transformation" page describes:
 * - inside a JSON string in the template (`"<state>"`) a value goes in as text;
 * - outside one (`{"state": <state>}`) it goes in as JSON, so a string gains its quotes;
 * - a path that finds nothing gives null (or nothing, inside a string);
 * - predefined: <aws.events.rule-arn>, <aws.events.rule-name>, <aws.events.event.ingestion-time>,
 *   <aws.events.event> and <aws.events.event.json> (the whole original event).
 * The target gets the parsed JSON when the result is JSON, otherwise the text itself.
 */
import { type PathStep, parseJsonPath, resolveJsonPath } from './json-path.js';

export interface InputTransformer {
  inputPathsMap: Record<string, string>;
  inputTemplate: string;
}

export interface TransformFacts {
  ruleArn: string;
  ruleName: string;
  /** epoch ms when EventBridge accepted the event */
  receivedAt: number;
}

const KEY = /^[A-Za-z0-9_-]+$/;
const MAX_PATHS = 100;

/** checks a transformer as PutTargets does; a string is the reason it is rejected */
export function checkInputTransformer(raw: unknown): InputTransformer | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return 'InputTransformer must be a structure with InputTemplate';
  const { InputPathsMap: map = {}, InputTemplate: template } = raw as Record<string, unknown>;
  if (typeof template !== 'string' || template.length < 1 || template.length > 8192)
    return 'InputTransformer.InputTemplate must be a string of 1 to 8192 characters';
  if (map === null || typeof map !== 'object' || Array.isArray(map))
    return 'InputTransformer.InputPathsMap must be a map of names to JSONPaths';
  const entries = Object.entries(map as Record<string, unknown>);
  if (entries.length > MAX_PATHS)
    return `InputTransformer.InputPathsMap has ${entries.length} entries; at most ${MAX_PATHS}`;
  for (const [key, path] of entries) {
    if (!KEY.test(key) || key.startsWith('aws.'))
      return `InputTransformer.InputPathsMap key "${key}" must match [A-Za-z0-9_-]+ and not start with aws.`;
    if (typeof path !== 'string') return `InputTransformer.InputPathsMap["${key}"] must be a JSONPath string`;
    const steps = parseJsonPath(path);
    if (typeof steps === 'string') return `InputTransformer.InputPathsMap["${key}"]: ${steps}`;
  }
  return { inputPathsMap: map as Record<string, string>, inputTemplate: template };
}

export function applyInputTransformer(
  event: object,
  transformer: InputTransformer,
  facts: TransformFacts,
): unknown {
  const values = new Map<string, unknown>();
  for (const [key, path] of Object.entries(transformer.inputPathsMap))
    values.set(key, resolveJsonPath(event, parseJsonPath(path) as PathStep[]));
  values.set('aws.events.rule-arn', facts.ruleArn);
  values.set('aws.events.rule-name', facts.ruleName);
  values.set('aws.events.event.ingestion-time', new Date(facts.receivedAt).toISOString());
  values.set('aws.events.event', event);
  values.set('aws.events.event.json', event);
  const text = fillTemplate(transformer.inputTemplate, values);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function fillTemplate(template: string, values: Map<string, unknown>): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const char = template[i]!;
    if (char === '\\' && inString) {
      out += char + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (char === '"') inString = !inString;
    if (char === '<') {
      const close = template.indexOf('>', i);
      const name = close < 0 ? '' : template.slice(i + 1, close);
      if (values.has(name)) {
        out += render(values.get(name), inString);
        i = close;
        continue;
      }
    }
    out += char;
  }
  return out;
}

function render(value: unknown, inString: boolean): string {
  if (!inString) return value === undefined ? 'null' : JSON.stringify(value);
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text).slice(1, -1);
}
