// The live preview (§8): the real visitor widget (loader.js and widget.js from /widget/) in an
// iframe, in its preview mode — it takes the settings being edited by postMessage, as the public
// config they will make once saved, and talks to no server — so the preview cannot drift from
// what visitors see. The iframe is a page of a desktop or phone size, scaled to the column.
import { useEffect, useRef, useState } from "preact/hooks";
import { useI18n } from "../../i18n";
import { previewConfig, visibleTabs, type Settings, type Tab } from "../../widgetSettings";

type Device = "desktop" | "mobile";
const SAMPLE_OPERATOR = { ru: "Анна", en: "Anna" };
/** The page the widget is drawn on, in CSS pixels (over 480 wide: the desktop panel). */
const SIZE: Record<Device, { w: number; h: number }> = { desktop: { w: 520, h: 760 }, mobile: { w: 390, h: 760 } };

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{margin:0;padding:28px;background:linear-gradient(180deg,#f6f8fb,#eef1f6);min-height:100vh;box-sizing:border-box}
i{display:block;height:12px;margin:0 0 14px;border-radius:6px;background:#dde3ec}b{display:block;height:150px;margin:0 0 14px;border-radius:10px;background:#e4e9f1}</style>
</head><body><i style="width:55%"></i><i style="width:90%"></i><i style="width:80%"></i><b></b><i style="width:70%"></i><i style="width:40%"></i>
<script src="/widget/loader.js" data-project="preview" data-preview></script></body></html>`;

export function Preview({ s, focus }: { s: Settings; focus: Tab | "hook" | null }) {
  const { t } = useI18n();
  const [device, setDevice] = useState<Device>("desktop");
  const [scale, setScale] = useState(0.6);
  const frame = useRef<HTMLIFrameElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const size = SIZE[device];
  const lang = s.other.language === "en" ? "en" : "ru";
  const shown = device === "desktop" ? s.appearance.devices.desktop : s.appearance.devices.mobile;
  const hook = s.catchers.flatMap((g) => (g.enabled ? g.hooks.filter((h) => h.enabled) : []))[0];
  const showHook = focus === "hook" && hook && (device === "desktop" || (s.appearance.hooks_on_mobile && hook.show_on_mobile));
  const iconsOnly = s.appearance.icon_mode && s.contacts.socials.some((x) => x.show) && !visibleTabs(s).some((x) => x !== "contacts");
  const empty = !visibleTabs(s).length && !iconsOnly;
  const message = {
    beseda: "preview",
    config: previewConfig(s, SAMPLE_OPERATOR[lang]),
    hook: showHook ? { id: hook!.id, trigger: hook!.trigger, value: hook!.value, showOnMobile: hook!.show_on_mobile } : undefined,
    tab: focus && focus !== "hook" ? focus : undefined,
    mobile: device === "mobile",
  };
  const json = JSON.stringify(message);
  const post = () => frame.current?.contentWindow?.postMessage(JSON.parse(json), location.origin);
  useEffect(post, [json]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const fit = () => setScale(Math.min(1, el.clientWidth / size.w));
    fit();
    const ro = new ResizeObserver(fit);
    ro.observe(el);
    return () => ro.disconnect();
  }, [device]);

  return (
    <figure class="preview" aria-label={t("ws.preview")} data-side={s.appearance.side} data-device={device}>
      <div class="preview-bar">
        <figcaption>{t("ws.preview")}</figcaption>
        <div class="seg seg-sm" role="radiogroup" aria-label={t("ws.preview.device")}>
          {(["desktop", "mobile"] as Device[]).map((d) => (
            <button type="button" role="radio" aria-checked={device === d} class={"seg-opt" + (device === d ? " on" : "")} onClick={() => setDevice(d)}>
              {t(d === "desktop" ? "ws.app.desktop" : "ws.app.mobile")}
            </button>
          ))}
        </div>
      </div>
      <div class={"pv-site pv-" + device} ref={box} style={{ height: Math.round(size.h * scale) + "px" }}>
        {shown && (
          <iframe
            key={device}
            ref={frame}
            class="pv-frame"
            title={t("ws.preview.frame")}
            srcdoc={PAGE}
            onLoad={post}
            style={{ width: size.w + "px", height: size.h + "px", transform: `scale(${scale})` }}
          />
        )}
        {(!shown || empty) && <p class="pv-hidden">{t(!shown ? (device === "desktop" ? "ws.preview.noDesktop" : "ws.preview.noMobile") : "ws.preview.noTabs")}</p>}
      </div>
      <p class="muted small preview-note">{t("ws.preview.note")}</p>
    </figure>
  );
}
