// Styles and icons of the launcher button (part of loader.js, so keep them short).
// The accent colour is the CSS variable --bsd-accent on the shadow host's children;
// widget.js overrides it from the project config.

export const launcherCss = `
*{box-sizing:border-box}
#beseda-launcher{position:fixed;right:20px;bottom:20px;width:60px;height:60px;border:0;border-radius:50%;
padding:0;margin:0;cursor:pointer;background:var(--bsd-accent,#2563eb);color:var(--bsd-on-accent,#fff);
box-shadow:0 6px 20px rgba(15,23,42,.25),0 2px 6px rgba(15,23,42,.15);display:flex;align-items:center;
justify-content:center;transition:transform .18s ease,box-shadow .18s ease;-webkit-tap-highlight-color:transparent;
font:inherit;outline:none}
#beseda-launcher:hover{transform:scale(1.06);box-shadow:0 10px 28px rgba(15,23,42,.3),0 3px 8px rgba(15,23,42,.15)}
#beseda-launcher:focus-visible{box-shadow:0 0 0 3px #fff,0 0 0 6px var(--bsd-accent,#2563eb)}
#beseda-launcher svg{width:28px;height:28px;transition:transform .2s ease,opacity .2s ease;position:absolute}
#beseda-launcher .bsd-x{opacity:0;transform:rotate(-90deg) scale(.6)}
#beseda-launcher[aria-expanded=true] .bsd-chat{opacity:0;transform:rotate(90deg) scale(.6)}
#beseda-launcher[aria-expanded=true] .bsd-x{opacity:1;transform:none}
#beseda-launcher[aria-busy=true]{cursor:progress}
:host([data-side=left]) #beseda-launcher{right:auto;left:20px}
@media (prefers-reduced-motion:reduce){#beseda-launcher,#beseda-launcher svg{transition:none}}
`;

export const chatIcon =
  '<svg class="bsd-chat" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 11.5a8.4 8.4 0 0 1-9 8.3 9.4 9.4 0 0 1-3.6-.7L3 21l1.9-5A8 8 0 0 1 3 11.5 8.4 8.4 0 0 1 12 3.2a8.4 8.4 0 0 1 9 8.3z"/></svg>';

export const closeIcon =
  '<svg class="bsd-x" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" aria-hidden="true"><path d="M6 6l12 12M18 6 6 18"/></svg>';
