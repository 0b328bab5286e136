// Внешний вид (§8): side, devices, auto-open (not advised under 30 s), colour, order of the
// tabs, hooks on phones, icon mode.
import { useId } from "preact/hooks";
import { useI18n, type Key } from "../../i18n";
import { IconAlert, IconArrowDown, IconArrowUp } from "../../icons";
import { AUTO_OPEN_ADVISED, AUTO_OPEN_MAX, COLOR_PRESETS, isHexColor, move, type Tab } from "../../widgetSettings";
import { Block, Check, Radios, useEditor } from "./controls";

export const TAB_TITLE: Record<Tab, Key> = { chat: "ws.tab.chat", form: "ws.tab.form", callback: "ws.tab.callback", contacts: "ws.tab.contacts" };

export function AppearanceSection() {
  const { t } = useI18n();
  const { s, set, err } = useEditor();
  const a = s.appearance;
  const autoId = useId();
  const colorId = useId();
  const secs = a.auto_open_secs;
  const colorErr = err("appearance.color");
  const autoErr = err("appearance.auto_open_secs");

  return (
    <>
      <Block title={t("ws.app.placement")} lead={t("ws.app.placementLead")}>
        <Radios
          path="appearance.side"
          label={t("ws.app.side")}
          options={[
            { value: "left", label: t("ws.app.left") },
            { value: "right", label: t("ws.app.right") },
          ]}
        />
        <fieldset class="checks">
          <legend>{t("ws.app.devices")}</legend>
          <Check path="appearance.devices.desktop" label={t("ws.app.desktop")} />
          <Check path="appearance.devices.mobile" label={t("ws.app.mobile")} />
          {!a.devices.desktop && !a.devices.mobile && <p class="note note-warn">{t("ws.app.noDevices")}</p>}
        </fieldset>
        <div class="opt-block">
          <div class="check">
            <input id={autoId + "-on"} type="checkbox" checked={secs !== null} onChange={(e) => set("appearance.auto_open_secs", e.currentTarget.checked ? 60 : null)} />
            <label for={autoId + "-on"}>{t("ws.app.autoOpen")}</label>
          </div>
          {secs !== null && (
            <div class="num-row indent">
              <label for={autoId} class="muted small">
                {t("ws.app.autoOpenAfter")}
              </label>
              <input
                id={autoId}
                name="appearance.auto_open_secs"
                type="number"
                min={0}
                max={AUTO_OPEN_MAX}
                value={String(secs)}
                aria-invalid={autoErr ? true : undefined}
                onInput={(e) => {
                  const n = parseInt(e.currentTarget.value, 10);
                  set("appearance.auto_open_secs", Number.isFinite(n) ? n : 0);
                }}
              />
              <span class="muted small">{t("ws.secs")}</span>
            </div>
          )}
          {autoErr && <p class="field-error">{autoErr}</p>}
          {secs !== null && secs < AUTO_OPEN_ADVISED && (
            <p class="note note-warn" role="status">
              <IconAlert />
              <span>{t("ws.app.autoOpenWarn", { N: String(AUTO_OPEN_ADVISED) })}</span>
            </p>
          )}
        </div>
      </Block>

      <Block title={t("ws.app.color")} lead={t("ws.app.colorLead")} field="appearance.color">
        <div class="colors" role="radiogroup" aria-label={t("ws.app.presets")}>
          {COLOR_PRESETS.map((c) => (
            <button
              type="button"
              role="radio"
              aria-checked={a.color.toLowerCase() === c}
              aria-label={c}
              title={c}
              class={"swatch" + (a.color.toLowerCase() === c ? " on" : "")}
              style={{ background: c }}
              onClick={() => set("appearance.color", c)}
            />
          ))}
        </div>
        <div class="color-row">
          <label for={colorId}>{t("ws.app.ownColor")}</label>
          <input type="color" aria-label={t("ws.app.picker")} value={isHexColor(a.color) ? a.color : "#2563eb"} onInput={(e) => set("appearance.color", e.currentTarget.value)} />
          <input
            id={colorId}
            name="appearance.color"
            type="text"
            class="hex"
            value={a.color}
            spellcheck={false}
            maxLength={7}
            aria-invalid={colorErr || !isHexColor(a.color) ? true : undefined}
            onInput={(e) => set("appearance.color", e.currentTarget.value.trim())}
          />
        </div>
        {!colorErr && !isHexColor(a.color) && <p class="field-hint">{t("ws.app.hexHint")}</p>}
      </Block>

      <Block title={t("ws.app.order")} lead={t("ws.app.orderLead")} field="appearance.tab_order">
        <ol class="order">
          {a.tab_order.map((tab, i) => {
            const name = s[tab].name || t(TAB_TITLE[tab]);
            return (
              <li class={s[tab].enabled ? "" : "is-off"}>
                <span class="order-n">{i + 1}</span>
                <span class="order-name">
                  {name}
                  {!s[tab].enabled && <span class="muted small"> · {t("ws.tabOff")}</span>}
                </span>
                <button
                  type="button"
                  class="btn btn-ghost btn-icon btn-icon-sm"
                  disabled={i === 0}
                  aria-label={t("ws.app.up", { TAB: name })}
                  title={t("ws.app.up", { TAB: name })}
                  onClick={() => set("appearance.tab_order", move(a.tab_order, i, -1))}
                >
                  <IconArrowUp />
                </button>
                <button
                  type="button"
                  class="btn btn-ghost btn-icon btn-icon-sm"
                  disabled={i === a.tab_order.length - 1}
                  aria-label={t("ws.app.down", { TAB: name })}
                  title={t("ws.app.down", { TAB: name })}
                  onClick={() => set("appearance.tab_order", move(a.tab_order, i, 1))}
                >
                  <IconArrowDown />
                </button>
              </li>
            );
          })}
        </ol>
      </Block>

      <Block title={t("ws.app.more")}>
        <Check path="appearance.hooks_on_mobile" label={t("ws.app.hooksMobile")} hint={t("ws.app.hooksMobileHint")} />
        <Check path="appearance.icon_mode" label={t("ws.app.iconMode")} hint={t("ws.app.iconModeHint")} />
      </Block>
    </>
  );
}
