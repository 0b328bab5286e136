// /journal — ЕЖЛ, the lead journal (§11): every request with its time, channel and client.
import { useEffect, useState } from "preact/hooks";
import { getProject, isForbidden, journal, type Lead } from "./api";
import { formatDateTime } from "./format";
import { useI18n } from "./i18n";
import { IconJournal } from "./icons";
import { useProjects, useSession } from "./state";
import { LoadError, Loading, Refusal } from "./ui";

/** Lead fields are shown as text only, whatever their shape turns out to be. */
const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");

type Load = { state: "loading" } | { state: "forbidden" } | { state: "error"; err: unknown } | { state: "ok"; leads: Lead[] };

export function JournalPage() {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const { list, current } = useProjects();
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [tz, setTz] = useState<string | undefined>(undefined);

  async function fetchLeads(id: string) {
    setLoad({ state: "loading" });
    try {
      setLoad({ state: "ok", leads: await journal(id) });
    } catch (e) {
      setLoad(isForbidden(e) ? { state: "forbidden" } : { state: "error", err: e });
    }
  }
  useEffect(() => {
    if (!current) return;
    fetchLeads(current.id);
    // Times are shown in the project's time zone (§11); the account's one if it is not readable.
    setTz(undefined);
    getProject(current.id).then(
      (r) => setTz(r.project.timezone),
      () => {},
    );
  }, [current?.id]);

  if (list === null) return <Loading />;
  if (!current) {
    return (
      <section class="card empty">
        <div class="empty-icon">
          <IconJournal />
        </div>
        <h2>{t("project.emptyTitle")}</h2>
        <p class="muted">{t("project.emptyText")}</p>
      </section>
    );
  }
  if (load.state === "loading") return <Loading />;
  if (load.state === "forbidden") return <Refusal title={t("journal.forbidden")} text={t("journal.forbiddenText")} />;
  if (load.state === "error") return <LoadError err={load.err} onRetry={() => fetchLeads(current.id)} />;

  const zone = tz || user.timezone;
  return (
    <section class="card section" aria-labelledby="journal-title">
      <div class="section-head">
        <h2 id="journal-title">{current.name}</h2>
        <p class="muted small">{t("journal.lead", { TZ: zone || "Europe/Moscow" })}</p>
      </div>
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t("journal.col.time")}</th>
              <th scope="col">{t("journal.col.channel")}</th>
              <th scope="col">{t("journal.col.client")}</th>
              <th scope="col">{t("journal.col.request")}</th>
            </tr>
          </thead>
          <tbody>
            {load.leads.length === 0 ? (
              <tr>
                <td colSpan={4} class="table-empty">
                  <div class="empty-icon">
                    <IconJournal />
                  </div>
                  <p class="empty-title">{t("journal.empty")}</p>
                  <p class="muted small">{t("empty.journal")}</p>
                </td>
              </tr>
            ) : (
              load.leads.map((l) => (
                <tr>
                  <td class="nowrap muted">{formatDateTime(str(l.at) || str(l.created_at), lang, zone)}</td>
                  <td class="nowrap">{str(l.channel) || "—"}</td>
                  <td>{str(l.client_name) || str(l.client) || str(l.contact) || "—"}</td>
                  <td>{str(l.text) || str(l.message) || str(l.subject) || "—"}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
