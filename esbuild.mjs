// Bundles the extension and the CLI. `node esbuild.mjs` for a production build, `--watch` while developing.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: !watch,
  logLevel: 'info',
  // vscode is provided by the extension host; everything else is bundled so the .vsix ships no node_modules.
  external: ['vscode'],
  // web-tree-sitter's ESM build calls createRequire(import.meta.url), which is undefined in a CJS bundle, so
  // Parser.init() failed inside the extension and every tree-sitter stage silently fell back. Its CJS build works.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' },
};
const builds = [
  { ...common, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js' },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The statistics webview: its script with Chart.js bundled in (no CDN, the page's CSP allows only our own files),
  // and its stylesheet.
  {
    bundle: true, platform: 'browser', target: 'chrome120', format: 'iife', minify: !watch, sourcemap: false, logLevel: 'info',
    entryPoints: ['src/webview/statistics.ts', 'media/statistics.css'],
    outdir: 'dist/webview',
    entryNames: '[name]',
  },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map(options => esbuild.build(options)));
}
