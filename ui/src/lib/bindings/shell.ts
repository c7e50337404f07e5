// Generated from src-tauri/src/commands.rs by `cargo test -p dossier -p dossier-app`; do not edit.

import type { NotebookInfo } from './NotebookInfo';
import type { Pick } from './Pick';

/** Runs one command with its arguments; `onProgress` receives its progress reports. */
export type Invoke = <T>(command: string, args: Record<string, unknown>, onProgress?: (report: never) => void) => Promise<T>;

export function shellCommands(invoke: Invoke) {
  return {
    /** A native dialog; the paths it returns are the only ones other commands accept. `null` when cancelled. */
    pick: (request: Pick) => invoke<Array<string> | null>('pick', { request }),
    /** Tells the shell the first frame is painted (with `DOSSIER_REPORT_FIRST_FRAME` set, prints the marker scripts/bench-app.sh times). */
    firstFrame: () => invoke<null>('first_frame', {}),
    /** Opens the notebook in a picked folder. */
    openNotebook: (path: string) => invoke<NotebookInfo>('open_notebook', { path }),
    /** Creates a notebook in a picked (new or empty) folder and opens it. */
    createNotebook: (path: string) => invoke<NotebookInfo>('create_notebook', { path }),
    /** Restores a backup into a new folder and opens it there. */
    restoreBackup: (backup: string, into: string) => invoke<NotebookInfo>('restore_backup', { backup, into }),
    /** The links back the OS handed the app since the window last asked (oldest first). */
    takeLinks: () => invoke<Array<string>>('take_links', {}),
    /** Stops the running import after the file it is reading. */
    cancelImport: () => invoke<null>('cancel_import', {}),
  };
}
