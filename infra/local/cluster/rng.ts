/**
 * A seeded random source. Everything the simulator "picks" (uids, name suffixes, chaos, noise)
 * comes from here, so two runs with the same seed and the same inputs write byte-identical
 * audit logs: scenarios can assert on them and a failing chaos run can be replayed.
 */
export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** integer in [0, n) */
  int(n: number): number;
  /** true with probability `p` */
  chance(p: number): boolean;
  /** `n` lowercase hex digits */
  hex(n: number): string;
  /** `n` decimal digits */
  digits(n: number): string;
  /** a version-4-shaped UUID */
  uuid(): string;
  /** `n` characters from the alphabet Kubernetes uses for generated name suffixes */
  nameSuffix(n: number): string;
  /** a new array with the items in a random order (Fisher-Yates) */
  shuffle<T>(items: readonly T[]): T[];
}

// Kubernetes' utilrand alphabet: no vowels and no look-alike digits, so names never spell words.
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** mulberry32: tiny, fast and good enough for simulation (not for secrets). */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = (alphabet: string, n: number): string => {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[int(alphabet.length)];
    return out;
  };
  const hex = (n: number): string => pick('0123456789abcdef', n);
  return {
    next,
    int,
    chance: (p) => p > 0 && next() < p,
    hex,
    digits: (n) => pick('0123456789', n),
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(4)]}${hex(3)}-${hex(12)}`,
    nameSuffix: (n) => pick(SUFFIX_ALPHABET, n),
    shuffle<T>(items: readonly T[]): T[] {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [out[i], out[j]] = [out[j] as T, out[i] as T];
      }
      return out;
    },
  };
}
