// Таб «Контакты» (§8): addresses (text or coordinates) with an info text of at most 100
// characters, and links to social networks with «show» checkboxes. Hidden without an address.
import { useI18n, type Key } from "../../i18n";
import { IconAlert, IconPlus, IconTrash } from "../../icons";
import { ADDRESS_INFO_MAX, chars, type Network } from "../../widgetSettings";
import { Block, ItemInput, useEditor } from "./controls";
import { TabBasics } from "./TabBasics";

export const NETWORK_TITLE: Record<Network, Key> = {
  vk: "ws.net.vk",
  whatsapp: "ws.net.whatsapp",
  viber: "ws.net.viber",
  ok: "ws.net.ok",
  telegram: "ws.net.telegram",
  youtube: "ws.net.youtube",
};

export function ContactsSection() {
  const { t } = useI18n();
  const { s, set, err } = useEditor();
  const c = s.contacts;
  const socErr = err("contacts.socials");

  return (
    <>
      <TabBasics tab="contacts" lead={t("ws.ct.lead")} hoursLead={t("ws.ct.hoursLead")} />
      <Block
        title={t("ws.ct.addresses")}
        field="contacts.addresses"
        aside={
          <button type="button" class="btn btn-secondary btn-sm" onClick={() => set("contacts.addresses", [...c.addresses, { address: "", info: "" }])}>
            <IconPlus size={16} />
            {t("ws.ct.add")}
          </button>
        }
      >
        {c.addresses.length === 0 && (
          <p class="note note-warn">
            <IconAlert />
            <span>{t("ws.ct.noAddress")}</span>
          </p>
        )}
        {c.addresses.map((a, i) => {
          const n = chars(a.info);
          return (
            <div class="address">
              <ItemInput path={"contacts.addresses." + i + ".address"} label={t("ws.ct.address")} value={a.address} placeholder={t("ws.ct.addressPlaceholder")} />
              <ItemInput
                path={"contacts.addresses." + i + ".info"}
                label={t("ws.ct.info")}
                value={a.info}
                placeholder={t("ws.ct.infoPlaceholder")}
                invalid={n > ADDRESS_INFO_MAX}
                aside={
                  <span class={"counter" + (n > ADDRESS_INFO_MAX ? " is-over" : "")}>
                    {n}/{ADDRESS_INFO_MAX}
                  </span>
                }
              />
              <button type="button" class="link-btn danger-link" onClick={() => set("contacts.addresses", c.addresses.filter((_, j) => j !== i))}>
                <IconTrash />
                {t("ws.ct.remove")}
              </button>
            </div>
          );
        })}
      </Block>
      <Block title={t("ws.ct.socials")} lead={t("ws.ct.socialsLead")} field="contacts.socials">
        <table class="table grid-table socials">
          <thead>
            <tr>
              <th scope="col">{t("ws.ct.network")}</th>
              <th scope="col">{t("ws.ct.link")}</th>
              <th scope="col" class="center">
                {t("ws.ct.show")}
              </th>
            </tr>
          </thead>
          <tbody>
            {c.socials.map((x, i) => {
              const name = t(NETWORK_TITLE[x.network]);
              const bad = !/^https?:\/\//.test(x.url);
              return (
                <tr>
                  <td class="nowrap">
                    <span class={"net net-" + x.network} aria-hidden="true" />
                    {name}
                  </td>
                  <td>
                    <input
                      type="text"
                      class="input-sm"
                      name={"contacts.socials." + i + ".url"}
                      aria-label={t("ws.ct.linkOf", { NET: name })}
                      value={x.url}
                      spellcheck={false}
                      aria-invalid={bad || !!socErr ? true : undefined}
                      onInput={(e) => set("contacts.socials." + i + ".url", e.currentTarget.value.trim())}
                    />
                  </td>
                  <td class="center">
                    <input type="checkbox" aria-label={t("ws.ct.showOf", { NET: name })} checked={x.show} onChange={(e) => set("contacts.socials." + i + ".show", e.currentTarget.checked)} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Block>
    </>
  );
}
