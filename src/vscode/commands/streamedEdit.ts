// Shows generated code in the editor while it streams, and leaves exactly one undo step behind: every preview
// edit goes into the same undo group (no undo stops between them), the final text replaces the preview in that
// group, and a failure puts the original text back in it, so one Undo returns to the document as it was.
import * as vscode from 'vscode';

/** How often the preview is redrawn at most, so a fast stream does not flood the editor with edits. */
const PREVIEW_INTERVAL_MS = 60;

export class StreamedEdit implements vscode.Disposable {
  private start: number;
  /** Length of what the region holds now (the original text, then the preview). */
  private length: number;
  private shown: string;
  private latest: string | undefined;
  private drawing: Promise<void> = Promise.resolve();
  private lastDraw = 0;
  private timer: NodeJS.Timeout | undefined;
  private touched = false;
  private ownEdit = false;
  /** Set when the user edited inside the region: we stop touching it. */
  conflict = false;
  private readonly listener: vscode.Disposable;

  constructor(
    private readonly editor: vscode.TextEditor,
    start: number,
    /** The document text in the region now ('' for a pure insertion). */
    private readonly original: string,
    private readonly onConflict: () => void,
  ) {
    this.start = start;
    this.length = original.length;
    this.shown = original;
    this.listener = vscode.workspace.onDidChangeTextDocument(e => {
      if (e.document !== editor.document || this.ownEdit) return;
      for (const change of e.contentChanges) this.track(change);
    });
  }

  get document(): vscode.TextDocument {
    return this.editor.document;
  }

  /** Another edit moved the region (before it) or hit it (inside it: conflict). */
  private track(change: vscode.TextDocumentContentChangeEvent): void {
    const end = this.start + this.length;
    if (change.rangeOffset + change.rangeLength <= this.start) {
      this.start += change.text.length - change.rangeLength;
    } else if (change.rangeOffset >= end) {
      // after the region: nothing to do
    } else if (!this.conflict) {
      this.conflict = true;
      this.onConflict();
    }
  }

  /** Asks for the region to show `text` (throttled; the latest text wins). */
  preview(text: string): void {
    if (this.conflict) return;
    this.latest = text;
    if (this.timer) return;
    const wait = Math.max(0, PREVIEW_INTERVAL_MS - (Date.now() - this.lastDraw));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drawing = this.drawing.then(() => this.drawLatest());
    }, wait);
  }

  private async drawLatest(): Promise<void> {
    const text = this.latest;
    this.latest = undefined;
    if (text === undefined || text === this.shown || this.conflict) return;
    await this.replace(text, false);
    this.lastDraw = Date.now();
  }

  /**
   * Replaces the region with the final text, closing the undo group. `others` are insertions before the region
   * (an import), at offsets of the document as it was before the preview began.
   */
  async commit(text: string, others: { offset: number; text: string }[] = []): Promise<boolean> {
    await this.settle();
    if (this.conflict) return false;
    return this.replace(text, true, others);
  }

  /** Puts the original text back (the undo group then nets to no change). */
  async rollback(): Promise<void> {
    await this.settle();
    if (this.conflict || !this.touched) return;
    await this.replace(this.original, true);
  }

  private async settle(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.latest = undefined;
    await this.drawing;
  }

  private async replace(text: string, last: boolean, others: { offset: number; text: string }[] = []): Promise<boolean> {
    const doc = this.editor.document;
    const range = new vscode.Range(doc.positionAt(this.start), doc.positionAt(this.start + this.length));
    const inserts = others.filter(o => o.offset <= this.start).map(o => ({ position: doc.positionAt(o.offset), text: o.text }));
    this.ownEdit = true;
    let ok: boolean;
    try {
      ok = await this.editor.edit(
        builder => {
          builder.replace(range, text);
          for (const o of inserts) builder.insert(o.position, o.text);
        },
        { undoStopBefore: !this.touched, undoStopAfter: last },
      );
    } catch {
      ok = false;
    } finally {
      this.ownEdit = false;
    }
    if (!ok) return false;
    this.touched = true;
    // Inserts before the region shift it.
    for (const o of inserts) this.start += o.text.length;
    this.length = text.length;
    this.shown = text;
    return true;
  }

  /** The region as it stands (for moving the cursor after the commit). */
  range(): vscode.Range {
    const doc = this.editor.document;
    return new vscode.Range(doc.positionAt(this.start), doc.positionAt(this.start + this.length));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.listener.dispose();
  }
}
