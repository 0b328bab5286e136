// Styles of the chat panel (part of widget.js).
export const panelCss = `
.bsd-panel{position:fixed;right:20px;bottom:92px;width:370px;max-width:calc(100vw - 32px);height:560px;
max-height:calc(100vh - 120px);display:flex;flex-direction:column;background:#fff;color:#0f172a;border-radius:18px;
overflow:hidden;box-shadow:0 24px 60px rgba(15,23,42,.22),0 4px 14px rgba(15,23,42,.1);
font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
transform-origin:bottom right;animation:bsd-in .2s ease-out}
.bsd-panel[hidden]{display:none}
:host([data-side=left]) .bsd-panel{right:auto;left:20px;transform-origin:bottom left}
@keyframes bsd-in{from{opacity:0;transform:translateY(12px) scale(.97)}to{opacity:1;transform:none}}
.bsd-head{display:flex;align-items:center;gap:12px;padding:16px 14px 16px 18px;background:var(--bsd-accent,#2563eb);
color:var(--bsd-on-accent,#fff)}
.bsd-ava{flex:none;width:40px;height:40px;border-radius:50%;display:flex;align-items:center;justify-content:center;
background:rgba(255,255,255,.2);font-weight:600;font-size:17px}
.bsd-ava svg{width:22px;height:22px}
.bsd-hd{flex:1;min-width:0}
.bsd-title{margin:0;font-size:16px;font-weight:600;line-height:1.3;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bsd-sub{font-size:12.5px;opacity:.85;display:flex;align-items:center;gap:6px;white-space:nowrap}
.bsd-sub span:last-child{overflow:hidden;text-overflow:ellipsis}
.bsd-dot{flex:none;width:7px;height:7px;border-radius:50%;background:#4ade80;box-shadow:0 0 0 2px rgba(255,255,255,.35)}
.bsd-off .bsd-dot{background:#cbd5e1}
.bsd-close{flex:none;width:34px;height:34px;border:0;border-radius:10px;background:transparent;color:inherit;
cursor:pointer;display:flex;align-items:center;justify-content:center;opacity:.85}
.bsd-close:hover{background:rgba(255,255,255,.16);opacity:1}
.bsd-close svg{width:20px;height:20px}
.bsd-log{flex:1;overflow-y:auto;padding:18px 16px 8px;background:#f6f8fb;display:flex;flex-direction:column;gap:8px;
overscroll-behavior:contain}
.bsd-msg{max-width:82%;padding:9px 13px;border-radius:16px;white-space:pre-wrap;overflow-wrap:anywhere;
box-shadow:0 1px 2px rgba(15,23,42,.06)}
.bsd-msg time{display:block;margin-top:3px;font-size:11px;opacity:.6;text-align:right}
.bsd-op{align-self:flex-start;background:#fff;border:1px solid #e6eaf0;border-bottom-left-radius:5px}
.bsd-me{align-self:flex-end;background:var(--bsd-accent,#2563eb);color:var(--bsd-on-accent,#fff);border-bottom-right-radius:5px}
.bsd-note{margin:0;padding:9px 16px;font-size:12.5px;color:#7c5a10;background:#fef8e7;border-top:1px solid #f5e6bd}
.bsd-note:empty{display:none}
.bsd-form{display:flex;align-items:flex-end;gap:8px;padding:10px 10px 10px 14px;border-top:1px solid #e6eaf0;background:#fff}
.bsd-input{flex:1;resize:none;border:0;outline:none;font:inherit;color:inherit;background:transparent;padding:8px 0;
max-height:120px;min-height:22px}
.bsd-input::placeholder{color:#94a3b8}
.bsd-send{flex:none;width:38px;height:38px;border:0;border-radius:50%;cursor:pointer;background:var(--bsd-accent,#2563eb);
color:var(--bsd-on-accent,#fff);display:flex;align-items:center;justify-content:center;transition:opacity .15s,transform .15s}
.bsd-send:disabled{opacity:.35;cursor:default}
.bsd-send:not(:disabled):hover{transform:scale(1.06)}
.bsd-send svg{width:18px;height:18px;margin-left:2px}
.bsd-send:focus-visible,.bsd-close:focus-visible{outline:2px solid currentColor;outline-offset:2px}
.bsd-foot{padding:0 0 8px;text-align:center;font-size:11px;color:#94a3b8;background:#fff}
@media (max-width:480px){
.bsd-panel{inset:0;right:0;bottom:0;width:100%;max-width:none;height:100%;max-height:none;border-radius:0}
:host([data-open]) #beseda-launcher{display:none}}
@media (prefers-reduced-motion:reduce){.bsd-panel{animation:none}}
`;
