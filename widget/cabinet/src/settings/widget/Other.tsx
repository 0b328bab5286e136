// Прочее (§8): the widget's language, initiators (ids of site elements whose click opens the
// widget) and the addresses the widget hides from.
import { useI18n } from "../../i18n";
import { Block, LinesInput, Radios } from "./controls";

export function OtherSection() {
  const { t } = useI18n();
  return (
    <>
      <Block title={t("ws.other.language")} lead={t("ws.other.languageLead")}>
        <Radios
          path="other.language"
          label={t("ws.other.language")}
          options={[
            { value: "ru", label: t("ws.other.ru") },
            { value: "en", label: t("ws.other.en") },
          ]}
        />
      </Block>
      <Block title={t("ws.other.initiators")} lead={t("ws.other.initiatorsLead")}>
        <LinesInput path="other.initiators" label={t("ws.other.initiatorsLabel")} placeholder={"callback-button\norder-form"} hint={t("ws.other.initiatorsHint")} />
      </Block>
      <Block title={t("ws.other.ips")} lead={t("ws.other.ipsLead")}>
        <LinesInput path="other.hidden_for_ips" label={t("ws.other.ipsLabel")} placeholder={"203.0.113.7\n198.51.100.0/24"} hint={t("ws.other.ipsHint")} />
      </Block>
    </>
  );
}
