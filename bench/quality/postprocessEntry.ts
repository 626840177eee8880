// Stand-in for `dist/cli.js postprocess` while the CLI entry does not have the command: the same
// runPostprocessCommand over stdin/stdout.
import { runPostprocessCommand } from '../../src/cli/postprocessCommand';

runPostprocessCommand(process.stdin, process.stdout).catch(error => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
