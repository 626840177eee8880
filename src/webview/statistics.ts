// The statistics page, inside the webview: draws the summary the extension sends (Chart.js, bundled: no network),
// in VS Code's theme colours, and reports back what it shows, read from its own DOM.
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
  type ChartConfiguration, type Plugin,
} from 'chart.js';
import type { Distribution, StatsSummary } from '../stats/summary';
import type { HostMessage, RenderedReport, ViewData, ViewMessage } from '../stats/viewProtocol';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

declare function acquireVsCodeApi(): { postMessage(message: ViewMessage): void };
const vscode = acquireVsCodeApi();
const charts = new Map<string, Chart>();
const cspViolations: string[] = [];
let lastData: ViewData | undefined;

document.addEventListener('securitypolicyviolation', e => cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  if (event.data?.type !== 'data') return;
  lastData = event.data.data;
  render(lastData);
});
// VS Code swaps the body's theme class when the user changes theme: redraw in the new colours.
new MutationObserver(() => { if (lastData) render(lastData); }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-action]')) {
  button.addEventListener('click', () => vscode.postMessage({ type: 'action', action: button.dataset.action as 'exportJson' | 'exportCsv' | 'clear' }));
}
vscode.postMessage({ type: 'ready' });

function render(data: ViewData): void {
  const s = data.summary;
  const t = s.totals;
  const written = t.charsAccepted + t.charsTyped;
  setStat('period', s.from ? `${s.from === s.to ? s.from : `${s.from} to ${s.to}`}${data.recording ? '' : ' · recording is off (infill.recordStatistics)'}`
    : data.recording ? 'Nothing recorded yet: accept or dismiss a few suggestions and come back.' : 'Recording is off (setting infill.recordStatistics).');
  setStat('shown', count(t.shown));
  setStat('acceptedWhole', count(t.acceptedWhole));
  setStat('acceptedPartly', count(t.acceptedPartly));
  setStat('dismissed', count(t.dismissed));
  setStat('acceptanceRate', percent(s.acceptanceRate));
  setStat('charsShare', written > 0 ? percent(t.charsAccepted / written) : '–');
  setStat('ghostTextP50', ms(s.ghostText.p50Ms));
  setStat('ghostTextP95', ms(s.ghostText.p95Ms));
  setStat('firstTokenP50', ms(s.firstToken.p50Ms));
  setStat('promptSpeed', rate(s.promptTokensPerSecond));
  setStat('generationSpeed', rate(s.generationTokensPerSecond));
  setStat('requests', count(t.requests));
  setStat('earlyStops', count(t.earlyStops));
  setStat('noRequest', count(t.cacheAnswers + t.typedThroughAnswers));
  setStat('ghostTextMarks', s.ghostText.total ? `(p50 ${ms(s.ghostText.p50Ms)}, p95 ${ms(s.ghostText.p95Ms)})` : '');
  setStat('storage', `Kept on this machine only, in ${data.storagePath} (90 days of daily counts and timings; no code, no file names).`);
  renderAdvice(data);
  const colors = themeColors();
  Chart.defaults.color = colors.foreground;
  Chart.defaults.borderColor = colors.grid;
  Chart.defaults.font.family = colors.font;
  drawChart('chart-acceptance', acceptanceChart(s, colors));
  drawChart('chart-ghost', ghostChart(s.ghostText, colors));
  drawChart('chart-speed', speedChart(s, colors));
  drawChart('chart-languages', languageChart(s, colors));
  document.getElementById('infill-stats')?.setAttribute('aria-busy', 'false');
  vscode.postMessage({ type: 'rendered', report: report() });
}

function renderAdvice(data: ViewData): void {
  const list = document.getElementById('advice')!;
  list.replaceChildren();
  const items = data.advice.length ? data.advice.map(a => a.text)
    : ['No advice yet: the figures look fine, or there are not enough of them (advice needs a few days of use).'];
  for (const text of items) {
    const li = document.createElement('li');
    // `code` spans for setting names, built as nodes (no HTML from data).
    text.split(/(`[^`]+`)/).forEach(part => {
      if (part.startsWith('`') && part.endsWith('`') && part.length > 2) {
        const code = document.createElement('code');
        code.textContent = part.slice(1, -1);
        li.append(code);
      } else li.append(part);
    });
    list.append(li);
  }
}

interface ThemeColors { foreground: string; grid: string; font: string; series: string[] }

function themeColors(): ThemeColors {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    foreground: v('--vscode-foreground', '#888'),
    grid: v('--vscode-panel-border', 'rgba(128,128,128,0.3)'),
    font: v('--vscode-font-family', 'sans-serif'),
    series: [v('--vscode-charts-blue', '#3794ff'), v('--vscode-charts-green', '#89d185'), v('--vscode-charts-orange', '#d18616'),
      v('--vscode-charts-red', '#f14c4c'), v('--vscode-charts-purple', '#b180d7'), v('--vscode-charts-yellow', '#cca700')],
  };
}

const BASE_OPTIONS = { animation: false, responsive: true, maintainAspectRatio: false } as const;

function acceptanceChart(s: StatsSummary, c: ThemeColors): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: s.days.map(d => d.day.slice(5)),
      datasets: [
        { type: 'line', label: 'acceptance rate (%)', data: s.days.map(d => (d.acceptanceRate === undefined ? null : Math.round(d.acceptanceRate * 100))),
          borderColor: c.series[1], backgroundColor: c.series[1], yAxisID: 'rate', spanGaps: true },
        { type: 'bar', label: 'shown', data: s.days.map(d => d.shown), backgroundColor: withAlpha(c.series[0], 0.35), yAxisID: 'count' },
      ],
    },
    options: {
      ...BASE_OPTIONS,
      scales: {
        rate: { position: 'left', min: 0, max: 100, title: { display: true, text: '%' } },
        count: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'shown' } },
      },
    },
  };
}

function ghostChart(d: Distribution, c: ThemeColors): ChartConfiguration {
  return {
    type: 'bar',
    data: { labels: d.labels, datasets: [{ label: 'suggestions', data: d.counts, backgroundColor: c.series[0] }] },
    options: { ...BASE_OPTIONS, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    plugins: [percentileMarks(d, c)],
  };
}

/** Vertical lines at p50 and p95, placed inside their bucket as the percentile was interpolated. */
function percentileMarks(d: Distribution, c: ThemeColors): Plugin {
  return {
    id: 'percentileMarks',
    afterDatasetsDraw(chart) {
      const x = chart.scales.x;
      const area = chart.chartArea;
      const ctx = chart.ctx;
      const marks: [string, number | undefined, string][] = [['p50', d.p50Ms, c.series[1]], ['p95', d.p95Ms, c.series[2]]];
      for (const [name, value, color] of marks) {
        if (value === undefined) continue;
        const position = bucketPosition(d, value);
        const left = x.getPixelForValue(Math.floor(position));
        const width = x.getPixelForValue(Math.floor(position) + 1) - left || 20;
        const px = left + (position - Math.floor(position) - 0.5) * width;
        ctx.save();
        ctx.strokeStyle = color;
        ctx.setLineDash([4, 3]);
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        ctx.fillStyle = color;
        ctx.font = `12px ${c.font}`;
        ctx.fillText(`${name} ${ms(value)}`, px + 4, area.top + (name === 'p50' ? 12 : 26));
        ctx.restore();
      }
    },
  };
}

/** Fractional bucket index of a duration, from the bucket labels' upper edges. */
function bucketPosition(d: Distribution, value: number): number {
  const edges = d.labels.slice(0, -1).map(label => {
    const [, n, unit] = /([\d.]+) (ms|s)$/.exec(label) ?? [];
    return Number(n) * (unit === 's' ? 1000 : 1);
  });
  for (let i = 0; i < edges.length; i++) {
    if (value <= edges[i]) {
      const low = i === 0 ? 0 : edges[i - 1];
      return i + (value - low) / (edges[i] - low || 1);
    }
  }
  return edges.length + 0.5;
}

function speedChart(s: StatsSummary, c: ThemeColors): ChartConfiguration {
  const round = (n: number | undefined) => (n === undefined ? null : Math.round(n));
  return {
    type: 'line',
    data: {
      labels: s.days.map(d => d.day.slice(5)),
      datasets: [
        { label: 'prompt tokens/s', data: s.days.map(d => round(d.promptTokensPerSecond)), borderColor: c.series[0], backgroundColor: c.series[0], spanGaps: true },
        { label: 'generated tokens/s', data: s.days.map(d => round(d.generationTokensPerSecond)), borderColor: c.series[2], backgroundColor: c.series[2], spanGaps: true },
      ],
    },
    options: { ...BASE_OPTIONS, scales: { y: { beginAtZero: true } } },
  };
}

function languageChart(s: StatsSummary, c: ThemeColors): ChartConfiguration {
  const langs = s.languages.slice(0, 12);
  return {
    type: 'bar',
    data: {
      labels: langs.map(l => l.language),
      datasets: [
        { label: 'accepted whole', data: langs.map(l => l.acceptedWhole), backgroundColor: c.series[1] },
        { label: 'accepted in part', data: langs.map(l => l.acceptedPartly), backgroundColor: c.series[5] },
        { label: 'not accepted', data: langs.map(l => Math.max(0, l.shown - l.acceptedWhole - l.acceptedPartly)), backgroundColor: withAlpha(c.series[3], 0.5) },
      ],
    },
    options: { ...BASE_OPTIONS, indexAxis: 'y', scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } } },
  };
}

function drawChart(id: string, config: ChartConfiguration): void {
  charts.get(id)?.destroy();
  const canvas = document.getElementById(id) as HTMLCanvasElement | null;
  if (canvas) charts.set(id, new Chart(canvas, config));
}

function report(): RenderedReport {
  const stats: Record<string, string> = {};
  for (const el of document.querySelectorAll<HTMLElement>('[data-stat]')) stats[el.dataset.stat!] = el.textContent ?? '';
  return {
    stats,
    charts: [...charts.keys()].filter(id => charts.get(id)?.canvas?.isConnected),
    advice: [...document.querySelectorAll('#advice li')].map(li => li.textContent ?? ''),
    cspViolations: [...cspViolations],
  };
}

function setStat(name: string, text: string): void {
  for (const el of document.querySelectorAll<HTMLElement>(`[data-stat="${name}"]`)) el.textContent = text;
}

function count(n: number): string { return n.toLocaleString('en-US'); }
function percent(x: number | undefined): string { return x === undefined ? '–' : `${Math.round(x * 100)}%`; }
function rate(x: number | undefined): string { return x === undefined ? '–' : String(Math.round(x)); }
function ms(x: number | undefined): string {
  if (x === undefined) return '–';
  return x < 1000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(1)} s`;
}

/** A theme colour (#rgb, #rrggbb or #rrggbbaa, as VS Code gives them) with transparency, for the canvas. */
function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(color)?.[1];
  if (!hex) return color;
  const full = hex.length === 3 ? [...hex].map(ch => ch + ch).join('') : hex.slice(0, 6);
  const [r, g, b] = [0, 2, 4].map(i => parseInt(full.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
