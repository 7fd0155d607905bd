/**
 * Deterministic randomness: every stream is derived from the simulator's seed and a name, so the
 * same seed gives the same fault sequence and the same ids whatever else happens in between.
 */

/** 32-bit FNV-1a of a string, mixed with the seed. */
export function hashSeed(seed: number, name: string): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for simulated faults. Returns numbers in [0, 1). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 24-hex ids, unique within one simulator and repeatable for a given seed. */
export function createIdFactory(seed: number): () => string {
  const random = createRandom(hashSeed(seed, 'ids'));
  let counter = 0;
  return () => {
    counter += 1;
    const prefix = Math.floor(random() * 0xffffffff).toString(16).padStart(8, '0');
    const middle = Math.floor(random() * 0xffffffff).toString(16).padStart(8, '0');
    return `${prefix}${middle}${counter.toString(16).padStart(8, '0')}`;
  };
}
