import * as assert from 'node:assert/strict';
import { contentSecurityPolicy, statisticsHtml, TILES } from '../../../src/vscode/statistics/viewHtml';

describe('vscode/statistics page', () => {
  const html = statisticsHtml({ cspSource: 'https://file+.vscode-resource.test', nonce: 'N0nce', scriptUri: 'https://x/statistics.js', styleUri: 'https://x/statistics.css' });

  it('a strict content-security policy: nothing by default, our own files, scripts only with the nonce', () => {
    const csp = contentSecurityPolicy('https://src', 'abc');
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc'(;|$)/);
    assert.match(csp, /style-src https:\/\/src(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:\/\/\*|\*/);
    assert.ok(html.includes(`content="${contentSecurityPolicy('https://file+.vscode-resource.test', 'N0nce')}"`));
  });

  it('every script carries the nonce, no inline script or style, no remote address', () => {
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0], /nonce="N0nce" src="https:\/\/x\/statistics\.js"/);
    assert.doesNotMatch(html, /<script[^>]*>[^<\s]/, 'no inline script body');
    assert.doesNotMatch(html, /<style|style="/, 'no inline styles');
    assert.doesNotMatch(html.replace(/https:\/\/(x|file\+\.vscode-resource\.test)\b/g, ''), /https?:\/\//, 'nothing from the network');
  });

  it('a tile per figure and the four charts', () => {
    for (const tile of TILES) assert.ok(html.includes(`data-stat="${tile.stat}"`), tile.stat);
    for (const id of ['chart-acceptance', 'chart-ghost', 'chart-speed', 'chart-languages']) assert.ok(html.includes(`id="${id}"`), id);
  });
});
