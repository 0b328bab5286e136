// The hand-off between loader.js and widget.js. The loader creates the host element and the
// launcher button, fills this object in `window.__beseda` and injects widget.js, which picks
// it up and mounts the panel into the same shadow root.

export interface BesedaWidget {
  open(): void;
  close(): void;
  toggle(): void;
  isOpen(): boolean;
}

export interface BesedaBoot {
  /** Project id from the `data-project` attribute of the loader's <script>. */
  project: string;
  /** URL of the folder loader.js came from, ending with "/" (widget.js lives beside it). */
  base: string;
  /** Origin of loader.js: the Beseda server that answers `/widget/v1/...`. */
  api: string;
  /** `ru` or `en`, from `data-lang` (default `ru`); the project config may override it. */
  lang: string;
  host: HTMLElement;
  root: ShadowRoot;
  launcher: HTMLButtonElement;
  /** Set by the loader when the visitor clicked before widget.js arrived. */
  wantOpen?: boolean;
  /** Set by widget.js once mounted. */
  widget?: BesedaWidget;
}

declare global {
  /** Content hash of widget.js, injected by the build (scripts/build.mjs). */
  const __WIDGET_VERSION__: string;
  interface Window {
    __beseda?: BesedaBoot;
  }
}
