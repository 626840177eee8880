// "Infill: Show Statistics": one webview panel, drawn by dist/webview/statistics.js (bundled with Chart.js, no
// network) from the summary and advice computed here. The page reports what it rendered back, read from its
// own DOM; the integration tests read that report.
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { InfillConfig } from '../../config/types';
import { adviseFromStats } from '../../stats/advice';
import { dayOf } from '../../stats/record';
import { summarize } from '../../stats/summary';
import type { HostMessage, RenderedReport, ViewAction, ViewMessage } from '../../stats/viewProtocol';
import type { StatisticsRecorder } from './recorder';
import { statisticsHtml } from './viewHtml';

export interface StatisticsViewDeps {
  context: vscode.ExtensionContext;
  recorder: StatisticsRecorder;
  config(): InfillConfig;
  /** The page's Export and Clear buttons run the commands. */
  runAction(action: ViewAction): void;
}

export class StatisticsView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly rendered = new vscode.EventEmitter<RenderedReport>();
  /** What the page last reported it shows. */
  lastRendered: RenderedReport | undefined;
  readonly onDidRender = this.rendered.event;

  constructor(private readonly deps: StatisticsViewDeps) {
    this.subscriptions.push(this.rendered, deps.recorder.onDidChange(() => this.refresh()));
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      this.refresh();
      return;
    }
    const extensionUri = this.deps.context.extensionUri;
    const webviewDir = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel('infill.statistics', 'Infill Statistics', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [webviewDir],
    });
    this.panel = panel;
    this.lastRendered = undefined;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    const webview = panel.webview;
    webview.html = statisticsHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewDir, 'statistics.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewDir, 'statistics.css')).toString(),
    });
    panel.onDidDispose(() => { this.panel = undefined; }, undefined, this.subscriptions);
    webview.onDidReceiveMessage((message: ViewMessage) => this.received(message), undefined, this.subscriptions);
  }

  /** Sends the current figures to the page (when it is open). */
  refresh(): void {
    if (!this.panel) return;
    const rows = this.deps.recorder.store.rows();
    const message: HostMessage = {
      type: 'data',
      data: {
        summary: summarize(rows),
        advice: adviseFromStats(rows, this.deps.config(), dayOf(Date.now())),
        recording: this.deps.recorder.enabled,
        storagePath: this.deps.recorder.filePath,
      },
    };
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.subscriptions) d.dispose();
  }

  private received(message: ViewMessage): void {
    switch (message?.type) {
      case 'ready':
        this.refresh();
        break;
      case 'rendered':
        this.lastRendered = message.report;
        this.rendered.fire(message.report);
        break;
      case 'action':
        if (message.action === 'exportJson' || message.action === 'exportCsv' || message.action === 'clear') this.deps.runAction(message.action);
        break;
    }
  }
}
