// A small typed event emitter: a failing listener is logged and never reaches the code that emitted.
import type { Logger } from '../util/log';

export type Listener<T> = (event: T) => void;

export class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  constructor(private readonly log: Logger) {}
  on(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(event: T): void {
    for (const listener of [...this.listeners]) {
      try { listener(event); } catch (err) { this.log.error(`Infill: event listener failed: ${String(err)}`); }
    }
  }
}
