/**
 * A small seeded PRNG (sfc32, seeded through cyrb128), so a seed number reproduces the same rows,
 * UUIDs included, on every machine. Not for secrets.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private sequence?: number;

  constructor(seed: string | number) {
    [this.a, this.b, this.c, this.d] = cyrb128(String(seed));
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.a |= 0;
    this.b |= 0;
    this.c |= 0;
    this.d |= 0;
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** `count` distinct integers from [0, size), in random order (partial Fisher–Yates). */
  sample(size: number, count: number): number[] {
    const pool = Array.from({ length: size }, (_, i) => i);
    const n = Math.min(count, size);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (size - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool.slice(0, n);
  }

  /** 32 random bits as 8 hex digits. */
  private word(): string {
    return ((this.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
  }

  hex(bytes: number): string {
    let out = '';
    while (out.length < bytes * 2) out += this.word();
    return out.slice(0, bytes * 2);
  }

  /**
   * A version-4-shaped UUID from this stream. The first 32 bits count up from a random start, so bulk
   * inserts append to the primary-key index instead of splitting pages all over it (several times faster
   * at a million rows); the other 90 bits are random.
   */
  uuid(): string {
    this.sequence ??= ((this.next() * 0x7fffffff) >>> 0) & 0x7f000000;
    const a = (this.sequence++ >>> 0).toString(16).padStart(8, '0');
    const b = this.word();
    const c = this.word();
    const d = this.word();
    const variant = '89ab'[parseInt(c[0], 16) & 3];
    return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }
}

function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
