// Styles of the panel (part of widget.js). Accent colours come from --bsd-accent/--bsd-on-accent
// on the shadow host.
export const panelCss = `
.bsd-panel{position:fixed;right:20px;bottom:92px;width:380px;max-width:calc(100vw - 32px);height:600px;
max-height:calc(100vh - 116px);display:flex;flex-direction:column;background:#fff;color:#0f172a;border-radius:18px;
overflow:hidden;box-shadow:0 24px 60px rgba(15,23,42,.22),0 4px 14px rgba(15,23,42,.1);
font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
transform-origin:bottom right;animation:bsd-in .2s ease-out;text-align:left}
.bsd-panel[hidden],.bsd-icons[hidden],[hidden]{display:none!important}
:host([data-side=left]) .bsd-panel,:host([data-side=left]) .bsd-icons{right:auto;left:20px;transform-origin:bottom left}
@keyframes bsd-in{from{opacity:0;transform:translateY(12px) scale(.97)}to{opacity:1;transform:none}}
.bsd-head{flex:none;padding:16px 12px 12px 18px;background:var(--bsd-accent);color:var(--bsd-on-accent)}
.bsd-row{display:flex;align-items:flex-start;gap:10px}
.bsd-hd{flex:1;min-width:0}
.bsd-title{margin:0;font-size:17px;font-weight:650;line-height:1.3;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bsd-sub{margin:3px 0 0;font-size:12.5px;line-height:1.35;opacity:.9;display:flex;gap:7px}
.bsd-sub:empty{display:none}
.bsd-sub::before{content:"";flex:none;width:7px;height:7px;margin-top:5px;border-radius:50%;background:#4ade80;
box-shadow:0 0 0 2px rgba(255,255,255,.35)}
.bsd-off .bsd-sub::before{background:#cbd5e1}
.bsd-x{flex:none;width:34px;height:34px;margin-top:-5px;border:0;border-radius:10px;background:transparent;color:inherit;
cursor:pointer;display:flex;align-items:center;justify-content:center;opacity:.85}
.bsd-x:hover{background:rgba(255,255,255,.16);opacity:1}
.bsd-x svg{width:20px;height:20px}
.bsd-lang{width:auto;padding:0 8px;font:inherit;font-size:12px;font-weight:700;letter-spacing:.04em}
.bsd-fm{flex:1;min-height:0;display:flex;flex-direction:column}
.bsd-actions{flex:none;padding:10px 18px 12px;border-top:1px solid #eef1f5;background:#fff}
.bsd-actions .bsd-err{margin:0 0 8px}
.bsd-ok{background:#f0fdf4;border-color:#bbf7d0;color:#14532d}
.bsd-tabs{display:flex;gap:6px;margin:12px 0 0;overflow-x:auto;scrollbar-width:none}
.bsd-tab{flex:none;border:0;border-radius:999px;padding:6px 13px;font:inherit;font-size:13px;font-weight:550;cursor:pointer;
color:inherit;background:rgba(255,255,255,.16);transition:background .15s}
.bsd-tab:hover{background:rgba(255,255,255,.26)}
.bsd-tab[aria-selected=true]{background:#fff;color:#0f172a}
.bsd-pane{flex:1;min-height:0;display:flex;flex-direction:column}
.bsd-scroll{flex:1;overflow-y:auto;padding:18px;overscroll-behavior:contain}
.bsd-log{flex:1;overflow-y:auto;padding:18px 16px 10px;background:#f6f8fb;display:flex;flex-direction:column;gap:6px;
overscroll-behavior:contain}
.bsd-msg{max-width:84%;padding:8px 12px 6px;border-radius:16px;white-space:pre-wrap;overflow-wrap:anywhere;
box-shadow:0 1px 2px rgba(15,23,42,.06)}
.bsd-op{align-self:flex-start;background:#fff;border:1px solid #e6eaf0;border-bottom-left-radius:5px}
.bsd-me{align-self:flex-end;background:var(--bsd-accent);color:var(--bsd-on-accent);border-bottom-right-radius:5px}
.bsd-me+.bsd-op,.bsd-op+.bsd-me,.bsd-card+.bsd-me{margin-top:6px}
.bsd-who{display:flex;align-items:center;gap:6px;font-size:12px;font-weight:600;color:#64748b;margin-bottom:2px}
.bsd-face{flex:none;width:20px;height:20px;border-radius:50%;overflow:hidden;display:flex;align-items:center;justify-content:center;
background:#e2e8f0;color:#475569;font-size:11px;font-weight:700}
.bsd-face img{width:100%;height:100%;object-fit:cover}
.bsd-face-l{width:40px;height:40px;margin:-2px 0 0;font-size:16px;background:rgba(255,255,255,.22);color:inherit;
box-shadow:0 0 0 2px rgba(255,255,255,.35)}
.bsd-meta{display:flex;justify-content:flex-end;align-items:center;gap:5px;margin-top:2px;font-size:11px;opacity:.7;white-space:nowrap}
.bsd-failed{background:#fee2e2;color:#7f1d1d;border:1px solid #fecaca}
.bsd-failed .bsd-meta{opacity:1}
.bsd-link{border:0;background:none;padding:0;font:inherit;color:inherit;text-decoration:underline;cursor:pointer}
.bsd-typing{flex:none;padding:2px 18px 6px;font-size:12px;color:#64748b;background:#f6f8fb;min-height:0}
.bsd-typing:empty{display:none}
.bsd-note{flex:none;margin:0;padding:9px 16px;font-size:12.5px;color:#7c5a10;background:#fef8e7;border-top:1px solid #f5e6bd}
.bsd-note:empty{display:none}
.bsd-note.bsd-bad{color:#991b1b;background:#fef2f2;border-color:#fecaca}
.bsd-form{flex:none;display:flex;align-items:flex-end;gap:8px;padding:10px 10px 10px 16px;border-top:1px solid #e6eaf0;background:#fff}
.bsd-input{flex:1;resize:none;border:0;outline:none;font:inherit;color:inherit;background:transparent;padding:8px 0;
max-height:120px;min-height:22px}
.bsd-input::placeholder{color:#94a3b8}
.bsd-input:disabled{cursor:not-allowed}
.bsd-count{align-self:center;font-size:11px;color:#64748b}
.bsd-count.bsd-bad{color:#b91c1c;font-weight:600}
.bsd-send{flex:none;width:38px;height:38px;border:0;border-radius:50%;cursor:pointer;background:var(--bsd-accent);
color:var(--bsd-on-accent);display:flex;align-items:center;justify-content:center;transition:opacity .15s,transform .15s}
.bsd-send:disabled{opacity:.35;cursor:default}
.bsd-send:not(:disabled):hover{transform:scale(1.06)}
.bsd-send svg{width:18px;height:18px;margin-left:2px}
.bsd-panel button:focus-visible,.bsd-panel a:focus-visible,.bsd-icons a:focus-visible{outline:2px solid var(--bsd-accent);outline-offset:2px}
.bsd-head button:focus-visible{outline-color:currentColor}
.bsd-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;margin:-1px;opacity:0}
.bsd-stars{display:flex;gap:2px;margin:0 0 8px}
.bsd-stars label{font-size:28px;line-height:1;color:#cbd5e1;cursor:pointer;padding:2px;border-radius:6px}
.bsd-stars label.bsd-on{color:#f59e0b}
.bsd-stars input:focus-visible+label{outline:2px solid var(--bsd-accent);outline-offset:1px}
.bsd-rate-c{display:block;width:100%;box-sizing:border-box;margin-bottom:6px;resize:vertical;min-height:44px;border:1px solid #cbd5e1;
border-radius:10px;padding:8px 10px;font:inherit;color:inherit;background:#fff}
.bsd-rate-c:focus{outline:2px solid var(--bsd-accent);outline-offset:0}
.bsd-card{align-self:stretch;margin:4px 0 2px;padding:14px;background:#fff;border:1px solid #e6eaf0;border-radius:14px;
box-shadow:0 1px 2px rgba(15,23,42,.06)}
.bsd-card p{margin:0 0 10px;font-weight:600}
.bsd-h{margin:0 0 14px;font-size:16px;font-weight:650;line-height:1.3}
.bsd-h+.bsd-text{margin-top:-8px}
.bsd-text{margin:0 0 16px;color:#475569}
.bsd-field{display:flex;flex-direction:column;gap:4px;margin-bottom:12px}
.bsd-field label{font-size:13px;font-weight:550;color:#334155}
.bsd-req{color:#dc2626}
.bsd-field input,.bsd-field select{width:100%;height:40px;padding:0 12px;border:1px solid #cbd5e1;border-radius:10px;font:inherit;
color:inherit;background:#fff;outline:none;transition:border-color .15s,box-shadow .15s}
.bsd-field input:focus,.bsd-field select:focus{border-color:var(--bsd-accent);box-shadow:0 0 0 3px rgba(37,99,235,.15)}
.bsd-field [aria-invalid=true]{border-color:#dc2626}
.bsd-err{font-size:12px;color:#b91c1c}
.bsd-err:empty{display:none}
.bsd-hint{margin:-2px 0 12px;font-size:12px;color:#64748b}
.bsd-btn{width:100%;height:44px;border:0;border-radius:12px;font:inherit;font-weight:600;cursor:pointer;background:var(--bsd-accent);
color:var(--bsd-on-accent);transition:filter .15s}
.bsd-btn:hover{filter:brightness(1.06)}
.bsd-btn:disabled{opacity:.6;cursor:progress}
.bsd-btn2{margin-top:8px;width:100%;height:36px;border:1px solid #cbd5e1;border-radius:10px;background:#fff;font:inherit;color:#334155;cursor:pointer}
.bsd-done{text-align:center;padding:40px 8px}
.bsd-done::before{content:"✓";display:flex;align-items:center;justify-content:center;width:56px;height:56px;margin:0 auto 14px;
border-radius:50%;background:#dcfce7;color:#15803d;font-size:28px;font-weight:700}
.bsd-done p{margin:0 0 18px;white-space:pre-wrap}
.bsd-addr{list-style:none;margin:0 0 18px;padding:0;display:flex;flex-direction:column;gap:10px}
.bsd-addr li{padding:12px 14px;border:1px solid #e6eaf0;border-radius:12px;background:#f8fafc}
.bsd-addr b{display:block;font-weight:600}
.bsd-addr span{display:block;color:#64748b;font-size:13px;margin-top:2px}
.bsd-addr a{display:inline-block;margin-top:6px;font-size:13px;color:var(--bsd-accent)}
.bsd-soc{display:flex;flex-wrap:wrap;gap:10px}
.bsd-ic{width:44px;height:44px;border-radius:50%;display:flex;align-items:center;justify-content:center;color:#fff;
font:700 14px/1 system-ui,sans-serif;text-decoration:none;box-shadow:0 2px 6px rgba(15,23,42,.18);transition:transform .15s}
.bsd-ic:hover{transform:scale(1.08)}
.bsd-icons{position:fixed;right:28px;bottom:92px;display:flex;flex-direction:column;gap:10px;animation:bsd-in .2s ease-out}
.bsd-foot{flex:none;padding:6px 0 8px;text-align:center;font-size:11px;color:#94a3b8;background:#fff}
.bsd-badge{position:absolute;top:-3px;right:-3px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#ef4444;
color:#fff;font:700 11px/20px system-ui,sans-serif;text-align:center;box-shadow:0 0 0 2px #fff}
@media (max-width:480px){
.bsd-panel,:host([data-side=left]) .bsd-panel{inset:0;right:0;left:0;bottom:0;width:100%;max-width:none;height:100%;max-height:none;border-radius:0;animation:none}
:host([data-open]) #beseda-launcher{display:none}
.bsd-field input,.bsd-field select,.bsd-input{font-size:16px}}
@media (prefers-reduced-motion:reduce){.bsd-panel,.bsd-icons{animation:none}}
:host([data-preview]) .bsd-panel,:host([data-preview]) .bsd-icons{animation:none}
`;
