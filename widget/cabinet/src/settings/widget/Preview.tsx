// The live preview (§8): a mock of the widget on a page, drawn from the settings being edited
// — side, colour, the tabs in their order with their names, the welcome message, the form's
// fields, the callback, the contacts, the first hook. Nothing here talks to the server.
import { useEffect, useState } from "preact/hooks";
import { translator, useI18n, type T } from "../../i18n";
import { IconDialogs, IconForm, IconPhone, IconPin, IconSend } from "../../icons";
import { contrastText, FORM_FIELDS, isHexColor, visibleTabs, type ContactRequest, type Settings, type Tab } from "../../widgetSettings";
import { TAB_TITLE } from "./Appearance";
import { NETWORK_TITLE } from "./Contacts";

type Device = "desktop" | "mobile";
const SAMPLE_OPERATOR = { ru: "Анна", en: "Anna" };

export function Preview({ s, focus }: { s: Settings; focus: Tab | "hook" | null }) {
  const { t } = useI18n();
  // Inside the widget everything speaks the widget's language (Прочее → язык), not the cabinet's.
  const lang = s.other.language === "en" ? "en" : "ru";
  const wt = translator(lang);
  const [device, setDevice] = useState<Device>("desktop");
  const tabs = visibleTabs(s);
  const [tab, setTab] = useState<Tab | null>(null);
  useEffect(() => {
    setTab(focus && focus !== "hook" ? focus : null);
  }, [focus]);
  const active: Tab | null = tab && tabs.includes(tab) ? tab : tabs[0] || null;
  const color = isHexColor(s.appearance.color) ? s.appearance.color : "#2563eb";
  const ink = contrastText(color);
  const side = s.appearance.side;
  const shown = device === "desktop" ? s.appearance.devices.desktop : s.appearance.devices.mobile;
  const hook = s.catchers.flatMap((g) => (g.enabled ? g.hooks.filter((h) => h.enabled) : []))[0];
  const showHook = focus === "hook" && hook && (device === "desktop" || (s.appearance.hooks_on_mobile && hook.show_on_mobile));
  const socials = s.contacts.socials.filter((x) => x.show);
  const iconsOnly = s.appearance.icon_mode && !tabs.some((x) => x !== "contacts") && socials.length > 0;
  const name = SAMPLE_OPERATOR[lang];

  return (
    <figure class="preview" aria-label={t("ws.preview")} data-side={side} data-device={device}>
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
      <div class={"pv-site pv-" + device + " pv-" + side} style={{ "--pv": color, "--pv-ink": ink }}>
        <div class="pv-page" aria-hidden="true">
          <span class="pv-line w60" />
          <span class="pv-line w90" />
          <span class="pv-line w80" />
          <span class="pv-block" />
          <span class="pv-line w70" />
          <span class="pv-line w40" />
        </div>
        {!shown ? (
          <p class="pv-hidden">{t(device === "desktop" ? "ws.preview.noDesktop" : "ws.preview.noMobile")}</p>
        ) : (
          <>
            {showHook ? (
              <div class="pv-hook" data-testid="preview-hook">
                <span class="pv-avatar">{name[0]}</span>
                <p>{hook!.text || wt("ws.hook.textPlaceholder")}</p>
              </div>
            ) : iconsOnly ? (
              <div class="pv-icons">
                {socials.map((x) => (
                  <span class={"net net-" + x.network} title={t(NETWORK_TITLE[x.network])} />
                ))}
              </div>
            ) : (
              <div class="pv-panel" data-testid="preview-panel">
                <div class="pv-head">
                  <span class="pv-avatar">{name[0]}</span>
                  <span class="pv-head-text">
                    <strong>{name}</strong>
                    <span>{wt("ws.preview.operator")}</span>
                  </span>
                </div>
                {tabs.length > 0 && (
                  <div class="pv-tabs" role="tablist" aria-label={t("ws.preview.tabs")}>
                    {tabs.map((x) => (
                      <button type="button" role="tab" aria-selected={x === active} class={x === active ? "on" : ""} onClick={() => setTab(x)}>
                        {s[x].name || wt(TAB_TITLE[x])}
                      </button>
                    ))}
                  </div>
                )}
                <div class="pv-body">
                  {!active ? (
                    <p class="pv-muted">{wt("ws.preview.noTabs")}</p>
                  ) : active === "chat" ? (
                    <ChatBody s={s} name={name} t={wt} />
                  ) : active === "form" ? (
                    <FormBody s={s} t={wt} />
                  ) : active === "callback" ? (
                    <CallbackBody s={s} t={wt} />
                  ) : (
                    <ContactsBody s={s} t={wt} />
                  )}
                </div>
              </div>
            )}
            <span class="pv-launcher" data-testid="preview-launcher" aria-hidden="true">
              <IconDialogs />
            </span>
          </>
        )}
      </div>
      <p class="muted small preview-note">{t("ws.preview.note")}</p>
    </figure>
  );
}

function RequestFields({ s, r }: { s: Settings; r: ContactRequest | null }) {
  if (!r || !r.fields.length) return null;
  return (
    <div class="pv-form pv-cr">
      {r.fields.map((f) => {
        const field = s.fields.find((x) => x.id === f.field);
        return <span class="pv-input">{(field?.label || f.field) + (f.required ? " *" : "")}</span>;
      })}
    </div>
  );
}

function ChatBody({ s, name, t }: { s: Settings; name: string; t: T }) {
  const text = s.chat.welcome.replace(/\{NAME\}/g, name);
  return (
    <>
      <div class="pv-log">
        {text.trim() && <p class="pv-msg">{text}</p>}
        <RequestFields s={s} r={s.chat.welcome_contact_request} />
      </div>
      <div class="pv-compose">
        <span>{t("ws.preview.write")}</span>
        <span class="pv-send">
          <IconSend />
        </span>
      </div>
    </>
  );
}

function FormBody({ s, t }: { s: Settings; t: T }) {
  const f = s.form;
  const std: Record<string, string> = { name: t("ws.form.name"), phone: t("ws.form.phone"), email: t("ws.form.email"), company: t("ws.form.company") };
  return (
    <div class="pv-form">
      <p class="pv-title">
        <IconForm /> {f.title}
      </p>
      {FORM_FIELDS.filter((k) => f.fields[k].visible).map((k) => (
        <span class="pv-input">{std[k] + (f.fields[k].required ? " *" : "")}</span>
      ))}
      {f.custom_field && f.custom_field.rule.visible && <span class="pv-input">{f.custom_field.label + (f.custom_field.rule.required ? " *" : "")}</span>}
      {f.custom_list && f.custom_list.rule.visible && (
        <span class="pv-input pv-select">
          {f.custom_list.label + (f.custom_list.rule.required ? " *" : "")}
          <span class="pv-options">{f.custom_list.options.join(" · ")}</span>
        </span>
      )}
      <span class="pv-button">{f.button_text}</span>
    </div>
  );
}

function CallbackBody({ s, t }: { s: Settings; t: T }) {
  const c = s.callback;
  return (
    <div class="pv-form">
      <p class="pv-title">
        <IconPhone /> {c.title}
      </p>
      {c.text && <p class="pv-text">{c.text}</p>}
      {c.groups.length > 0 && (
        <span class="pv-input pv-select">
          {t("ws.preview.group")}
          <span class="pv-options">{c.groups.map((g) => g.name).filter(Boolean).join(" · ")}</span>
        </span>
      )}
      <span class="pv-input">+7 (___) ___-__-__</span>
      <span class="pv-button">{t("ws.preview.callMe")}</span>
    </div>
  );
}

function ContactsBody({ s, t }: { s: Settings; t: T }) {
  const socials = s.contacts.socials.filter((x) => x.show);
  return (
    <div class="pv-form">
      {s.contacts.addresses.map((a) => (
        <div class="pv-address">
          <IconPin />
          <span>
            <strong>{a.address || "—"}</strong>
            {a.info && <span>{a.info}</span>}
          </span>
        </div>
      ))}
      {socials.length > 0 && (
        <div class="pv-icons pv-icons-inline">
          {socials.map((x) => (
            <span class={"net net-" + x.network} title={t(NETWORK_TITLE[x.network])} />
          ))}
        </div>
      )}
    </div>
  );
}
