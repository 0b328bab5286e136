// What every tab of the widget has (§8): «Включить таб», a name of at most 8 characters and
// the weekly working hours.
import type { ComponentChildren } from "preact";
import { HoursGrid } from "../../HoursGrid";
import { useI18n } from "../../i18n";
import { TAB_NAME_MAX, type Tab } from "../../widgetSettings";
import { TAB_TITLE } from "./Appearance";
import { Block, Switch, Text, useEditor } from "./controls";

export function TabBasics({ tab, lead, hoursLead, children }: { tab: Tab; lead?: ComponentChildren; hoursLead?: ComponentChildren; children?: ComponentChildren }) {
  const { t } = useI18n();
  const { s, set } = useEditor();
  return (
    <>
      <Block title={t(TAB_TITLE[tab])} lead={lead} aside={<Switch path={tab + ".enabled"} label={t("ws.enableTab")} />}>
        <Text path={tab + ".name"} label={t("ws.tabName")} max={TAB_NAME_MAX} class="field-short" hint={t("ws.tabNameHint", { N: String(TAB_NAME_MAX) })} />
        {children}
      </Block>
      <Block title={t("ws.hours")} lead={hoursLead || t("ws.hoursLead")} field={tab + ".hours"}>
        <HoursGrid value={s[tab].hours} onChange={(h) => set(tab + ".hours", h)} label={t("ws.hoursOf", { TAB: s[tab].name || t(TAB_TITLE[tab]) })} name={tab + ".hours"} />
      </Block>
    </>
  );
}
