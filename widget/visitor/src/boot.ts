// The hand-off between loader.js and widget.js. The loader creates the host element and the
// launcher button, fills this object in `window.__beseda` and injects widget.js, which picks
// it up and mounts the panel into the same shadow root. The loader has already read the project
// config (it decides whether anything is shown at all) and armed the hooks.
import type { HookRule, Launch, TabId } from "./config";

export interface BesedaWidget {
  open(): void;
  close(): void;
  toggle(): void;
  isOpen(): boolean;
  /** Removes the panel (the cabinet's preview mounts a new one for new settings). */
  destroy(): void;
}

export interface BesedaBoot {
  /** Project id from the `data-project` attribute of the loader's <script>. */
  project: string;
  /** URL of the folder loader.js came from, ending with "/" (widget.js lives beside it). */
  base: string;
  /** Origin of loader.js: the Beseda server that answers `/widget/v1/...`. */
  api: string;
  /** The project config as the server sent it (widget.js normalizes it in full)… */
  raw: unknown;
  /** …and the part the loader read. */
  launch: Launch;
  /** Narrow or touch screen (the `devices.mobile` switch applies). */
  mobile: boolean;
  host: HTMLElement;
  root: ShadowRoot;
  launcher: HTMLButtonElement;
  /** Set by the loader when the visitor clicked before widget.js arrived. */
  wantOpen?: boolean;
  /** The hook that fired (its text is shown as the operator's first bubble). */
  hook?: HookRule;
  /** Opens the panel, loading widget.js first when needed. */
  open(): void;
  /** Set by widget.js once mounted. */
  widget?: BesedaWidget;
  /** The cabinet's preview: settings come from the parent page, nothing is sent anywhere… */
  preview?: boolean;
  /** …and it may ask for a tab. */
  tab?: TabId;
}

declare global {
  /** Content hash of widget.js, injected by the build (scripts/build.mjs). */
  const __WIDGET_VERSION__: string;
  interface Window {
    __beseda?: BesedaBoot;
    /** Set by widget.js: mounts the panel for a boot (the loader calls it when widget.js is already there). */
    __besedaMount?: (boot: BesedaBoot) => void;
  }
}
