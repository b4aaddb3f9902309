/**
 * Scheduled rules: `rate(5 minutes)` and `cron(0/15 * * * ? *)` (UTC), parsed as EventBridge
 * documents them, and the time each fires next on the service clock.
 * Locally unsupported: cron's `L`, `W` and `#` (rejected with a message saying so).
 */

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export interface Schedule {
  /** the first firing strictly after `afterMs` */
  next(afterMs: number): number;
}

export function parseSchedule(expression: string): Schedule | string {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2]!;
    if (value < 1) return `${expression}: the rate must be a positive whole number`;
    if ((value === 1) !== !unit.endsWith('s'))
      return `${expression}: use the singular unit for 1 and the plural otherwise`;
    const periodMs = value * UNIT_MS[unit.replace(/s$/, '')]!;
    return { next: (after) => after + periodMs };
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (cron) return parseCron(cron[1]!.trim().split(/\s+/), expression);
  return `${expression}: expected rate(<value> <unit>) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)`;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const FIELDS: FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS },
  { name: 'year', min: 1970, max: 2199 },
];

/** the set of values a field allows, or undefined for `?` */
function parseField(text: string, spec: FieldSpec, expression: string): Set<number> | undefined | string {
  if (text === '?') return undefined;
  if (/[LW#]/.test(text.replace(/[A-Z]{3}/g, (m) => (spec.names?.includes(m) ? '' : m))))
    return `${expression}: ${spec.name} uses L, W or #, which the local endpoint does not support`;
  const values = new Set<number>();
  const value = (token: string): number => {
    const named = spec.names?.indexOf(token.toUpperCase()) ?? -1;
    return named >= 0 ? named + spec.min : /^\d+$/.test(token) ? Number(token) : Number.NaN;
  };
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let low: number;
    let high: number;
    if (range === '*') [low, high] = [spec.min, spec.max];
    else if (range.includes('-')) [low, high] = range.split('-').map(value) as [number, number];
    else [low, high] = [value(range), stepText === undefined ? value(range) : spec.max];
    if (
      ![low, high, step].every(Number.isInteger) ||
      step < 1 ||
      low < spec.min ||
      high > spec.max ||
      low > high
    )
      return `${expression}: ${spec.name} "${part}" is not valid (${spec.min}-${spec.max})`;
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return values;
}

function parseCron(fields: string[], expression: string): Schedule | string {
  if (fields.length !== 6) return `${expression}: cron takes 6 fields, found ${fields.length}`;
  const sets: (Set<number> | undefined)[] = [];
  for (const [i, spec] of FIELDS.entries()) {
    const parsed = parseField(fields[i]!, spec, expression);
    if (typeof parsed === 'string') return parsed;
    if (parsed === undefined && spec.name !== 'day-of-month' && spec.name !== 'day-of-week')
      return `${expression}: only day-of-month or day-of-week may be ?`;
    sets.push(parsed);
  }
  const [minutes, hours, dom, months, dow, years] = sets;
  if ((dom === undefined) === (dow === undefined))
    return `${expression}: exactly one of day-of-month and day-of-week must be ?`;
  const allows = (set: Set<number> | undefined, v: number) => set === undefined || set.has(v);
  return {
    next(after) {
      // scan minute by minute; bounded to the cron's own range of years
      let t = Math.floor(after / 60_000) * 60_000 + 60_000;
      const limit = Date.UTC(2200, 0, 1);
      while (t < limit) {
        const d = new Date(t);
        if (!allows(years, d.getUTCFullYear())) t = Date.UTC(d.getUTCFullYear() + 1, 0, 1);
        else if (!allows(months, d.getUTCMonth() + 1))
          t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
        else if (!allows(dom, d.getUTCDate()) || !allows(dow, d.getUTCDay() + 1))
          t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
        else if (!allows(hours, d.getUTCHours()))
          t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
        else if (!allows(minutes, d.getUTCMinutes())) t += 60_000;
        else return t;
      }
      return Number.POSITIVE_INFINITY;
    },
  };
}
