import * as assert from 'assert';
import { RecentActivity } from '../../../src/context/activity';

describe('context/activity', () => {
  it('merges nearby edits in a file into one range and keeps the latest time', () => {
    let t = 1000;
    const a = new RecentActivity({ now: () => t });
    a.recordEdit({ relativePath: 'a.ts', startLine: 10, endLine: 10 });
    t = 2000; a.recordEdit({ relativePath: 'a.ts', startLine: 12, endLine: 12 });
    t = 3000; a.recordEdit({ relativePath: 'a.ts', startLine: 40, endLine: 41 });
    const edits = a.recentEdits();
    assert.deepStrictEqual(edits.map(e => [e.relativePath, e.startLine, e.endLine, e.at]), [['a.ts', 40, 41, 3000], ['a.ts', 10, 12, 2000]]);
  });

  it('decays weights with age (half-life) and orders most recent first', () => {
    const a = new RecentActivity({ now: () => 0, editHalfLifeMs: 1000 });
    a.recordEdit({ relativePath: 'old.ts', startLine: 0, endLine: 0, at: 0 });
    a.recordEdit({ relativePath: 'new.ts', startLine: 0, endLine: 0, at: 2000 });
    const [first, second] = a.recentEdits(2000);
    assert.strictEqual(first.relativePath, 'new.ts');
    assert.strictEqual(first.weight, 1);
    assert.strictEqual(second.weight, 0.25);
  });

  it('caps the number of entries and the width of a range', () => {
    const a = new RecentActivity({ now: () => 0, maxViews: 3, maxRangeLines: 10 });
    for (let i = 0; i < 6; i++) a.recordView({ relativePath: `f${i}.ts`, startLine: 0, endLine: 100, at: i });
    const views = a.recentViews(10);
    assert.deepStrictEqual(views.map(v => v.relativePath), ['f5.ts', 'f4.ts', 'f3.ts']);
    assert.ok(views.every(v => v.endLine - v.startLine + 1 <= 10));
  });

  it('moves ranges below an edit that added or removed lines', () => {
    const a = new RecentActivity({ now: () => 0 });
    a.recordEdit({ relativePath: 'a.ts', startLine: 50, endLine: 52 });
    a.recordView({ relativePath: 'a.ts', startLine: 80, endLine: 90 });
    a.recordEdit({ relativePath: 'a.ts', startLine: 10, endLine: 14, at: 1, lineDelta: 4 }); // four lines inserted at line 10
    assert.deepStrictEqual(a.recentEdits().map(e => [e.startLine, e.endLine]), [[10, 14], [54, 56]]);
    assert.deepStrictEqual(a.recentViews().map(e => [e.startLine, e.endLine]), [[84, 94]]);
    a.recordEdit({ relativePath: 'a.ts', startLine: 20, endLine: 20, at: 2, lineDelta: -2 }); // two lines removed at line 20
    assert.deepStrictEqual(a.recentViews().map(e => [e.startLine, e.endLine]), [[82, 92]]);
  });

  it('forgets and renames files', () => {
    const a = new RecentActivity({ now: () => 0 });
    a.recordEdit({ relativePath: 'a.ts', startLine: 1, endLine: 1 });
    a.recordView({ relativePath: 'b.ts', startLine: 1, endLine: 1 });
    a.rename('a.ts', 'c.ts');
    a.forget('b.ts');
    assert.deepStrictEqual(a.recentEdits().map(e => e.relativePath), ['c.ts']);
    assert.deepStrictEqual(a.recentViews(), []);
  });
});
