// /journal — ЕЖЛ, the lead journal (§11): every request with its time (in the project's time
// zone), channel, client and text, newest first, a page at a time.
import { useEffect, useState } from "preact/hooks";
import { CHANNELS, isForbidden, journal, type Channel, type Lead } from "./api";
import { formatDateTime, formatPhone } from "./format";
import { useI18n, type Key } from "./i18n";
import { IconJournal } from "./icons";
import { useProjects, useSession } from "./state";
import { leadText } from "./systemText";
import { errorText, LoadError, Loading, Refusal } from "./ui";

type Load =
  | { state: "loading" }
  | { state: "forbidden" }
  | { state: "error"; err: unknown }
  | { state: "ok"; leads: Lead[]; next: string | null };

/** Lead fields are shown as text only, whatever their shape turns out to be. */
const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");

export function JournalPage() {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const { list, current } = useProjects();
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [more, setMore] = useState<"" | "busy" | string>("");

  async function fetchLeads(id: string) {
    setLoad({ state: "loading" });
    setMore("");
    try {
      const r = await journal(id);
      setLoad({ state: "ok", leads: r.leads, next: r.next });
    } catch (e) {
      setLoad(isForbidden(e) ? { state: "forbidden" } : { state: "error", err: e });
    }
  }
  useEffect(() => {
    if (current) fetchLeads(current.id);
  }, [current?.id]);

  async function loadMore() {
    if (load.state !== "ok" || !load.next || !current) return;
    setMore("busy");
    try {
      const r = await journal(current.id, load.next);
      setLoad({ state: "ok", leads: [...load.leads, ...r.leads], next: r.next });
      setMore("");
    } catch (e) {
      setMore(errorText(e, t));
    }
  }

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

  const channel = (c: string) => ((CHANNELS as string[]).includes(c) ? t(("channel." + (c as Channel)) as Key) : str(c) || "—");
  return (
    <section class="card section" aria-labelledby="journal-title">
      <div class="section-head">
        <h2 id="journal-title">{current.name}</h2>
        <p class="muted small">{t("journal.lead")}</p>
      </div>
      <div class="table-wrap">
        <table class="table journal">
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
              load.leads.map((l) => {
                const name = str(l.name);
                const contacts = [formatPhone(str(l.phone)), str(l.email)].filter(Boolean);
                return (
                  <tr>
                    <td class="nowrap muted" data-label={t("journal.col.time")}>{str(l.local_time) || formatDateTime(str(l.at), lang, user.timezone)}</td>
                    <td class="nowrap" data-label={t("journal.col.channel")}>
                      <span class="chip">{channel(str(l.channel))}</span>
                    </td>
                    <td data-label={t("journal.col.client")}>
                      <span class="person-cell">
                        <span class="person-name">{name || contacts[0] || "—"}</span>
                        {(name ? contacts : contacts.slice(1)).map((c) => (
                          <span class="muted small">{c}</span>
                        ))}
                      </span>
                    </td>
                    <td class="lead-text" data-label={t("journal.col.request")}>
                      {leadText(str(l.text), t) || "—"}
                    </td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
      {load.next && (
        <div class="section-foot">
          <button type="button" class="btn btn-secondary" onClick={loadMore} disabled={more === "busy"}>
            {more === "busy" ? t("app.loading") : t("journal.more")}
          </button>
          {more && more !== "busy" && <span class="field-error">{more}</span>}
        </div>
      )}
    </section>
  );
}
