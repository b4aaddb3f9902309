/**
 * An evaluator for exactly the subset of the CloudWatch Logs JSON filter-pattern grammar that
 * INGEST_FILTER_PATTERN uses, so tests (and the simulated cluster) can apply the subscription
 * filter offline:
 *
 *   pattern    := '{' or '}'
 *   or         := and ('||' and)*              (&& binds tighter than ||)
 *   and        := unary ('&&' unary)*
 *   unary      := '(' or ')' | selector test
 *   test       := ('=' | '>' | '<' | '>=' | '<=') value | 'NOT EXISTS'
 *   selector   := '$' ('.' name)+
 *   value      := "string without *" | number
 *
 * Semantics as documented: a selector that points to an object or array never matches a
 * comparison; `=` on a string is exact (wildcards are outside this subset and refused);
 * numeric comparisons match numbers only; a message that is not JSON matches nothing.
 * Anything outside the subset throws, so a pattern edit cannot silently escape the tests.
 */

type Node =
  | { op: 'or' | 'and'; left: Node; right: Node }
  | { op: 'cmp'; path: string[]; cmp: '=' | '>' | '<' | '>=' | '<='; value: string | number }
  | { op: 'notExists'; path: string[] };

const TOKEN =
  /\s*(\|\||&&|>=|<=|=|>|<|\(|\)|\{|\}|NOT\s+EXISTS|\$(?:\.[A-Za-z_][A-Za-z0-9_]*)+|"[^"]*"|-?\d+(?:\.\d+)?)/y;

function tokenize(pattern: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < pattern.length) {
    if (/^\s*$/.test(pattern.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(pattern);
    if (match?.[1] === undefined) {
      throw new Error(`filter pattern: unsupported syntax at ${start}: ${pattern.slice(start, start + 20)}`);
    }
    tokens.push(match[1]);
  }
  return tokens;
}

export type CompiledFilter = (message: string) => boolean;

/** Parses a pattern of the supported subset; throws on anything else. */
export function compileFilterPattern(pattern: string): CompiledFilter {
  const tokens = tokenize(pattern);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new Error(
        `filter pattern: expected ${expected ?? 'a token'} at token ${at}, found ${token ?? 'the end'}`,
      );
    }
    at += 1;
    return token;
  };
  const parseOr = (): Node => {
    let left = parseAnd();
    while (peek() === '||') {
      take();
      left = { op: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Node => {
    let left = parseUnary();
    while (peek() === '&&') {
      take();
      left = { op: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Node => {
    if (peek() === '(') {
      take('(');
      const inner = parseOr();
      take(')');
      return inner;
    }
    const selector = take();
    if (!selector.startsWith('$.')) throw new Error(`filter pattern: expected a selector, found ${selector}`);
    const path = selector.slice(2).split('.');
    const operator = take();
    if (/^NOT\s+EXISTS$/.test(operator)) return { op: 'notExists', path };
    if (!['=', '>', '<', '>=', '<='].includes(operator)) {
      throw new Error(`filter pattern: unsupported operator ${operator}`);
    }
    const literal = take();
    const value = literal.startsWith('"') ? literal.slice(1, -1) : Number(literal);
    if (typeof value === 'string' && (value.includes('*') || operator !== '=')) {
      throw new Error(
        `filter pattern: only exact string equality is supported, found ${operator} ${literal}`,
      );
    }
    return { op: 'cmp', path, cmp: operator as '=', value };
  };
  take('{');
  const root = parseOr();
  take('}');
  if (at !== tokens.length) throw new Error(`filter pattern: trailing tokens after }`);

  return (message) => {
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch {
      return false;
    }
    return evaluate(root, json);
  };
}

function select(json: unknown, path: string[]): unknown {
  let current = json;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function evaluate(node: Node, json: unknown): boolean {
  switch (node.op) {
    case 'or':
      return evaluate(node.left, json) || evaluate(node.right, json);
    case 'and':
      return evaluate(node.left, json) && evaluate(node.right, json);
    case 'notExists':
      return select(json, node.path) === undefined;
    case 'cmp': {
      const actual = select(json, node.path);
      if (typeof node.value === 'string') return actual === node.value;
      if (typeof actual !== 'number') return false;
      switch (node.cmp) {
        case '=':
          return actual === node.value;
        case '>':
          return actual > node.value;
        case '<':
          return actual < node.value;
        case '>=':
          return actual >= node.value;
        case '<=':
          return actual <= node.value;
      }
    }
  }
}
