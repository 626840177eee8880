// Shared helpers for the context tests: fixture paths, a document context at a marker, temp workspaces.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildDocumentContext } from '../../../src/document/documentContext';
import type { DocumentContext, DocumentSnapshot } from '../../../src/document/types';
import { languageForPath } from '../../../src/context/syntaxIndex';
import { atCursor } from '../../support/cursor';

/** test/fixtures/context, from out/test/unit/context. */
export const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/context');

export function snapshotOf(root: string, rel: string, text?: string, version = 0): DocumentSnapshot {
  const abs = path.join(root, rel);
  return {
    uri: abs,
    relativePath: rel,
    languageId: languageForPath(rel) ?? 'plaintext',
    text: text ?? fs.readFileSync(abs, 'utf8'),
    version,
  };
}

/**
 * A document context at the snapshot's cursor marker, the marker taken out. The fixture workspaces hold it in a
 * comment at the end of a line (`// ┃`), so the files on disk stay valid code.
 */
export function contextAtMarker(snapshot: DocumentSnapshot, budget = { prefixTokens: 1024, suffixTokens: 256 }): DocumentContext {
  const { text, position } = atCursor(snapshot.text);
  return buildDocumentContext({ ...snapshot, text }, position, budget);
}

export function contextAt(snapshot: DocumentSnapshot, line: number, character: number, budget = { prefixTokens: 1024, suffixTokens: 256 }): DocumentContext {
  return buildDocumentContext(snapshot, { line, character }, budget);
}

/** A copy of a fixture workspace in a fresh temp folder (deleted by the caller with removeTemp). */
export function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `infill-ctx-${name}-`));
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

export function writeFile(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

export function removeTemp(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export const neverAbort = () => new AbortController().signal;
