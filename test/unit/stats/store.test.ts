import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_DAYS, shiftDay } from '../../../src/stats/record';
import { nodeStatsFile } from '../../../src/stats/nodeFile';
import { parseStatsFile, serialize, StatsStore, type StatsFile } from '../../../src/stats/store';
import { at, event, row } from './helpers';

/** A file in memory, counting writes. */
class MemoryFile implements StatsFile {
  text: string | undefined;
  writes = 0;
  failNextWrite = false;
  async read() { return this.text; }
  async write(text: string) {
    if (this.failNextWrite) { this.failNextWrite = false; throw new Error('disk full'); }
    this.writes++;
    this.text = text;
  }
}

/** Timers the test fires by hand. */
function manualTimers() {
  const pending: { run: () => void; ms: number; cancelled: boolean }[] = [];
  return {
    pending,
    setTimer: (run: () => void, ms: number) => {
      const t = { run, ms, cancelled: false };
      pending.push(t);
      return { cancel: () => { t.cancelled = true; } };
    },
    fire: () => { for (const t of pending.splice(0)) if (!t.cancelled) t.run(); },
  };
}

const TODAY = '2026-12-03';
const shownEvent = (day = TODAY) => event({ kind: 'shown', multiline: false, source: 'model', ghostTextMs: 100 }, { day });

describe('stats/store', () => {
  it('records without writing at once, then writes everything in one delayed write', async () => {
    const file = new MemoryFile();
    const timers = manualTimers();
    const store = new StatsStore({ file, now: () => at(TODAY), setTimer: timers.setTimer, writeDelayMs: 5000 });
    await store.load();
    for (let i = 0; i < 10; i++) store.record(shownEvent());
    assert.equal(file.writes, 0, 'no write on the editing path');
    assert.equal(timers.pending.length, 1, 'one timer for many events');
    assert.equal(timers.pending[0].ms, 5000);
    assert.equal(store.rows()[0].counters.shown, 10, 'what is not written yet is already visible');
    timers.fire();
    await store.flush();
    assert.equal(file.writes, 1);
    assert.equal(parseStatsFile(file.text)[0].counters.shown, 10);
  });

  it('survives a restart: a new store reads what the last one wrote', async () => {
    const file = new MemoryFile();
    const first = new StatsStore({ file, now: () => at(TODAY) });
    await first.load();
    first.record(shownEvent());
    first.record(event({ kind: 'acceptedWhole', chars: 5, multiline: false }));
    await first.flush();
    const second = new StatsStore({ file, now: () => at(TODAY) });
    await second.load();
    const c = second.rows()[0].counters;
    assert.deepEqual([c.shown, c.acceptedWhole, c.charsAccepted], [1, 1, 5]);
  });

  it('adds to what another window wrote meanwhile instead of overwriting it', async () => {
    const file = new MemoryFile();
    const a = new StatsStore({ file, now: () => at(TODAY) });
    const b = new StatsStore({ file, now: () => at(TODAY) });
    await a.load();
    await b.load();
    a.record(shownEvent());
    b.record(shownEvent());
    b.record(shownEvent());
    await a.flush();
    await b.flush();
    assert.equal(parseStatsFile(file.text)[0].counters.shown, 3);
  });

  it(`writes at most ${MAX_DAYS} days, dropping older ones already on disk`, async () => {
    const file = new MemoryFile();
    file.text = serialize([row(shiftDay(TODAY, -200), { shown: 5 }), row(shiftDay(TODAY, -10), { shown: 7 })]);
    const store = new StatsStore({ file, now: () => at(TODAY) });
    await store.load();
    store.record(shownEvent());
    await store.flush();
    assert.deepEqual(parseStatsFile(file.text).map(r => [r.day, r.counters.shown]), [[shiftDay(TODAY, -10), 7], [TODAY, 1]]);
  });

  it('a failed background write is reported, not thrown, and retried with the next one', async () => {
    const file = new MemoryFile();
    const timers = manualTimers();
    const errors: unknown[] = [];
    const store = new StatsStore({ file, now: () => at(TODAY), setTimer: timers.setTimer, onError: e => errors.push(e) });
    await store.load();
    store.record(shownEvent());
    file.failNextWrite = true;
    timers.fire();
    await store.flush();
    assert.equal(errors.length, 1);
    assert.equal(parseStatsFile(file.text)[0].counters.shown, 1, 'saved by the next write');
  });

  it('keeps what a failed write did not save for the next one', async () => {
    const file = new MemoryFile();
    const errors: unknown[] = [];
    const store = new StatsStore({ file, now: () => at(TODAY), onError: e => errors.push(e) });
    await store.load();
    store.record(shownEvent());
    file.failNextWrite = true;
    await assert.rejects(store.flush(), /disk full/);
    store.record(shownEvent());
    await store.flush();
    assert.equal(parseStatsFile(file.text)[0].counters.shown, 2);
  });

  it('clear forgets everything, on disk and pending', async () => {
    const file = new MemoryFile();
    const timers = manualTimers();
    const store = new StatsStore({ file, now: () => at(TODAY), setTimer: timers.setTimer });
    await store.load();
    store.record(shownEvent());
    await store.flush();
    store.record(shownEvent());
    await store.clear();
    timers.fire();
    await store.flush();
    assert.deepEqual(store.rows(), []);
    assert.deepEqual(parseStatsFile(file.text), []);
  });

  it('reads a broken or missing file as an empty record', () => {
    assert.deepEqual(parseStatsFile(undefined), []);
    assert.deepEqual(parseStatsFile('{not json'), []);
    assert.deepEqual(parseStatsFile('{"rows": 3}'), []);
  });

  it('stores counts and timings only: no code, no file names', async () => {
    const file = new MemoryFile();
    const store = new StatsStore({ file, now: () => at(TODAY) });
    await store.load();
    store.record(shownEvent());
    await store.flush();
    const stored = JSON.parse(file.text!);
    assert.deepEqual(Object.keys(stored.rows[0]).sort(), ['counters', 'day', 'firstTokenMs', 'ghostTextMs', 'language', 'model']);
  });

  it('works with a real file (created with its folder, replaced whole)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infill-stats-'));
    try {
      const target = path.join(dir, 'globalStorage', 'statistics.json');
      const file = nodeStatsFile(target);
      assert.equal(await file.read(), undefined, 'no file yet');
      const store = new StatsStore({ file, now: () => at(TODAY) });
      await store.load();
      store.record(shownEvent());
      await store.flush();
      assert.equal(parseStatsFile(fs.readFileSync(target, 'utf8'))[0].counters.shown, 1);
      assert.deepEqual(fs.readdirSync(path.dirname(target)), ['statistics.json'], 'no temporary file left behind');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
