/**
 * A least-recently-used map with a fixed capacity: the engine's one cache shape (tokenizations and tables in
 * service.ts, decoded rows in rowCache.ts). Map iteration order is insertion order, so re-inserting a key marks
 * it recently used and the first key is the least recently used. `onEvict` releases what falls out.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();

  constructor(
    /** Entries kept at most; 0 keeps nothing. */
    readonly capacity: number,
    private readonly onEvict: (value: V) => void = () => undefined,
  ) {}

  get size(): number {
    return this.map.size;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** The value, made the most recently used. */
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  /** Keeps `value` as the most recently used, evicting the least recently used beyond capacity. */
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const [oldest, evicted] = this.map.entries().next().value as [K, V];
      this.map.delete(oldest);
      this.onEvict(evicted);
    }
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }

  /** Empties the map, evicting every entry. */
  clear(): void {
    for (const v of this.map.values()) this.onEvict(v);
    this.map.clear();
  }
}
