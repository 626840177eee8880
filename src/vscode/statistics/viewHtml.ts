// The statistics webview's page: a strict content-security policy (nothing but our own nonce'd script and our
// stylesheet, no inline styles, no network), tiles and canvases the script fills in. No vscode import, so plain
// Node tests check the policy.

export interface ViewHtmlInput {
  /** webview.cspSource: the origin our own files are served from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

/** The tiles (data-stat names the figure the script writes into it) and their captions. */
export const TILES: readonly { stat: string; caption: string }[] = [
  { stat: 'shown', caption: 'suggestions shown' },
  { stat: 'acceptedWhole', caption: 'accepted whole' },
  { stat: 'acceptedPartly', caption: 'accepted in part' },
  { stat: 'dismissed', caption: 'dismissed' },
  { stat: 'acceptanceRate', caption: 'acceptance rate' },
  { stat: 'charsShare', caption: 'of the characters written came from suggestions' },
  { stat: 'ghostTextP50', caption: 'time to ghost text, median' },
  { stat: 'ghostTextP95', caption: 'time to ghost text, p95' },
  { stat: 'firstTokenP50', caption: 'first token, median' },
  { stat: 'promptSpeed', caption: 'prompt tokens/s (server)' },
  { stat: 'generationSpeed', caption: 'generated tokens/s (server)' },
  { stat: 'requests', caption: 'model requests' },
  { stat: 'earlyStops', caption: 'stopped early' },
  { stat: 'noRequest', caption: 'answers without a request (cache, typed along)' },
];

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource}`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function statisticsHtml(input: ViewHtmlInput): string {
  const tiles = TILES.map(t => `<div class="tile"><div class="value" data-stat="${t.stat}">–</div><div class="caption">${t.caption}</div></div>`).join('\n      ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(input.cspSource, input.nonce)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${input.styleUri}">
  <title>Infill Statistics</title>
</head>
<body>
  <main id="infill-stats" aria-busy="true">
    <header>
      <h1>Infill statistics</h1>
      <p class="period" data-stat="period">Loading…</p>
    </header>
    <section class="tiles" aria-label="Totals">
      ${tiles}
    </section>
    <section class="charts">
      <figure><figcaption>Acceptance rate per day</figcaption><div class="chart"><canvas id="chart-acceptance" role="img" aria-label="Acceptance rate per day"></canvas></div></figure>
      <figure><figcaption>Time to ghost text <span class="note" data-stat="ghostTextMarks"></span></figcaption><div class="chart"><canvas id="chart-ghost" role="img" aria-label="Distribution of time to ghost text"></canvas></div></figure>
      <figure><figcaption>Server speed per day (its own timings)</figcaption><div class="chart"><canvas id="chart-speed" role="img" aria-label="Server prompt and generation speed per day"></canvas></div></figure>
      <figure><figcaption>Suggestions per language</figcaption><div class="chart"><canvas id="chart-languages" role="img" aria-label="Suggestions shown and accepted per language"></canvas></div></figure>
    </section>
    <section class="advice" aria-label="Advice">
      <h2>What your numbers suggest</h2>
      <ul id="advice"></ul>
    </section>
    <footer>
      <p data-stat="storage"></p>
      <div class="actions">
        <button type="button" data-action="exportJson">Export JSON</button>
        <button type="button" data-action="exportCsv">Export CSV</button>
        <button type="button" data-action="clear" class="secondary">Clear…</button>
      </div>
    </footer>
  </main>
  <script nonce="${input.nonce}" src="${input.scriptUri}"></script>
</body>
</html>
`;
}
