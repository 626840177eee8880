// Mutation testing (npm run test:mutation): StrykerJS changes one small thing in the code at a time and checks
// that a unit test fails. Slow, so it runs outside `npm test`; reports go to bench/results/mutation/.
// One module group per run keeps each run's test set small: INFILL_MUTATE=backend|limits|exclusion|cache|postprocess|engine
// (default: backend, exclusion and cache, the groups this check was set up for).
const GROUPS = {
  backend: { mutate: ['src/backend/**/*.ts', 'src/util/url.ts'], spec: ['out/test/unit/backend/**/*.test.js'] },
  // The stream caps and credential masking alone (a subset of backend that fits in a few minutes).
  limits: { mutate: ['src/backend/limits.ts', 'src/util/url.ts'], spec: ['out/test/unit/backend/limits.test.js', 'out/test/unit/backend/hostileServers.test.js', 'out/test/unit/backend/hostedFim.test.js'] },
  exclusion: { mutate: ['src/context/exclusion.ts'], spec: ['out/test/unit/context/exclusion.test.js', 'out/test/unit/context/secretLists.test.js'] },
  cache: { mutate: ['src/cache/**/*.ts'], spec: ['out/test/unit/cache/**/*.test.js'] },
  // Less streaming.test.js and longOutput.test.js (`slow`): four of their tests loop over every golden case or a
  // 100k-line output (2 s each) and cover most mutants: 86 % of the run's test time (worst case 6.4 h, 29 min without
  // them). INFILL_MUTATE_ALL_TESTS=1 keeps them, for a second pass over the survivors (`--mutate file:line`).
  postprocess: {
    mutate: ['src/postprocess/**/*.ts'], spec: ['out/test/unit/postprocess/**/*.test.js'],
    slow: ['out/test/unit/postprocess/streaming.test.js', 'out/test/unit/postprocess/longOutput.test.js'],
  },
  engine: { mutate: ['src/pipeline/engine.ts', 'src/pipeline/modelRequest.ts'], spec: ['out/test/unit/pipeline/**/*.test.js'] },
};
const chosen = (process.env.INFILL_MUTATE ?? 'backend,exclusion,cache').split(',').map(s => s.trim()).filter(Boolean);
for (const name of chosen) if (!GROUPS[name]) throw new Error(`INFILL_MUTATE: unknown group "${name}" (${Object.keys(GROUPS).join(', ')})`);
const label = chosen.join('+');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'mocha',
  // The checker type-checks each mutant over src/ only (tsconfig.mutation.json): the whole project with its tests
  // and bench took about 10 s a mutant on two cores. The build still compiles the tests the runner needs.
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  buildCommand: 'npx tsc -p tsconfig.json',
  mutate: chosen.flatMap(n => GROUPS[n].mutate),
  mochaOptions: {
    spec: chosen.flatMap(n => GROUPS[n].spec),
    ignore: process.env.INFILL_MUTATE_ALL_TESTS === '1' ? [] : chosen.flatMap(n => GROUPS[n].slow ?? []),
    // The project's .mocharc names every unit test; the spec above is this run's subset.
    config: 'test/support/mocharc.mutation.json',
  },
  coverageAnalysis: 'perTest',
  // Two shared cores and other work on them: one test process, generous timeouts.
  concurrency: 1,
  checkerNodeArgs: ['--max-old-space-size=2048'],
  timeoutMS: 10000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'json', 'html', 'progress'],
  jsonReporter: { fileName: `bench/results/mutation/${label}.json` },
  htmlReporter: { fileName: `bench/results/mutation/${label}.html` },
  // With `--reporters ...,event-recorder`, every tested mutant as it ends (survivors are known long before the end).
  eventReporter: { baseDir: `reports/mutation-events/${label}` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['dist', 'out', 'bench/results', 'bench/.cache', '.stryker-tmp', '*.vsix'],
};
