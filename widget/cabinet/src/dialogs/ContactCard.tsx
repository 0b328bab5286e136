// The contact card of the open dialog: the contact's fields (name, phone, e-mail and custom
// ones such as ИНН), the page the visitor wrote from, the IP, the channel and when it started.
import type { Dialog } from "../api";
import { contactName, visitorTag } from "../dialogState";
import { formatDateTime, formatPhone } from "../format";
import { useI18n, type Key } from "../i18n";
import { IconUser } from "../icons";
import { useSession } from "../state";
import type { Field } from "../widgetSettings";
import { BlockVisitor } from "./BlockVisitor";
import { ChannelIcon } from "./ChannelIcon";

const STANDARD: Record<string, Key> = { name: "contact.name", phone: "contact.phone", email: "contact.email" };

/** Only http(s) links are clickable; anything else is shown as text. */
const safeUrl = (u: string) => (/^https?:\/\//i.test(u) ? u : null);

export function ContactCard({ dialog, fields }: { dialog: Dialog; fields: Field[] }) {
  const { t, lang } = useI18n();
  const { user } = useSession();
  // The standard fields in the reader's language; the project's own fields by their label.
  const label = (id: string) => (STANDARD[id] ? t(STANDARD[id]!) : fields.find((f) => f.id === id)?.label || id);
  const entries = Object.entries(dialog.contact || {}).filter(([, v]) => typeof v === "string" && v.trim());
  const order = (k: string) => (k in STANDARD ? Object.keys(STANDARD).indexOf(k) : 10);
  entries.sort((a, b) => order(a[0]) - order(b[0]));
  const url = dialog.page_url || "";
  const requested = dialog.pending_contact_request?.fields || [];
  const name = contactName(dialog);
  // A messenger customer's @username, when the platform gives one and it is not the title.
  const username = dialog.chat?.username?.replace(/^@/, "");
  const handle = username && name !== "@" + username ? "@" + username : null;

  return (
    <section class="contact" aria-labelledby="contact-title">
      <div class="contact-head">
        <span class="contact-avatar" aria-hidden="true">
          <IconUser />
        </span>
        <div class="contact-who">
          <h2 id="contact-title">{name || t("dialogs.visitor", { TAG: visitorTag(dialog.visitor_id) })}</h2>
          <p class="muted small">{handle || (name ? t("dialogs.visitor", { TAG: visitorTag(dialog.visitor_id) }) : t("contact.anonymous"))}</p>
        </div>
      </div>
      <dl class="facts">
        {entries.map(([k, v]) => {
          const show = (x: string) => (k === "phone" ? formatPhone(x) : x);
          const earlier = [...new Set((dialog.contact_history || []).filter((h) => h.field === k && h.value !== v).map((h) => h.value))].reverse();
          return (
            <div>
              <dt>{label(k)}</dt>
              <dd>
                {show(v)}
                {earlier.length > 0 && <span class="fact-earlier muted small">{t("contact.earlier", { V: earlier.map(show).join(", ") })}</span>}
              </dd>
            </div>
          );
        })}
        {requested.length > 0 && (
          <div>
            <dt>{t("contact.requested")}</dt>
            <dd>{requested.map((f) => label(f.field) + (f.required ? "*" : "")).join(", ")}</dd>
          </div>
        )}
        <div>
          <dt>{t("contact.channel")}</dt>
          <dd class="fact-chan">
            <ChannelIcon channel={dialog.channel} />
            {t(("channel." + dialog.channel) as Key) || dialog.channel}
          </dd>
        </div>
        {url && (
          <div>
            <dt>{t("contact.page")}</dt>
            <dd class="fact-url">
              {safeUrl(url) ? (
                <a href={safeUrl(url)!} target="_blank" rel="noopener noreferrer nofollow">
                  {url}
                </a>
              ) : (
                url
              )}
            </dd>
          </div>
        )}
        {dialog.ip && (
          <div>
            <dt>{t("contact.ip")}</dt>
            <dd>
              <code>{dialog.ip}</code>
            </dd>
          </div>
        )}
        <div>
          <dt>{t("contact.started")}</dt>
          <dd>{formatDateTime(dialog.created_at, lang, user.timezone)}</dd>
        </div>
      </dl>
      <BlockVisitor dialog={dialog} />
    </section>
  );
}
