// The statistics file on a local disk: read as text, written to a temporary file and renamed over the old one,
// so a crash or a second window never leaves half a file behind.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { StatsFile } from './store';

export function nodeStatsFile(filePath: string): StatsFile {
  return {
    async read() {
      try {
        return await fs.readFile(filePath, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async write(text: string) {
      await fs.mkdir(path.dirname(filePath), { recursive: true });
      const temporary = `${filePath}.${process.pid}.${Date.now()}.tmp`;
      await fs.writeFile(temporary, text, 'utf8');
      try {
        await fs.rename(temporary, filePath);
      } catch (err) {
        await fs.rm(temporary, { force: true });
        throw err;
      }
    },
  };
}
