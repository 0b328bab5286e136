// The live connection of the signed-in user to the current project (one per cabinet tab,
// kept across pages so a new request rings wherever the operator is) and the sounds it plays.
import { createContext } from "preact";
import { useContext, useEffect, useState } from "preact/hooks";
import { ApiError, canAnswer, canViewDialogs, DEFAULT_VOLUMES, realtimeTicket, type ProjectSummary, type User } from "./api";
import { soundFor } from "./dialogState";
import { Realtime, wsUrl, type LiveStatus } from "./realtime";
import { play } from "./sounds";

export const LiveContext = createContext<Realtime | null>(null);

/** Dialogs this tab already knows (the Dialogs page adds what it loads): their next visitor message is a «new message», not a «new request». */
export const seenDialogs = new Set<string>();
export const useLive = () => useContext(LiveContext);

/** The connection's status, re-rendering on change ("connecting" without a connection). */
export function useLiveStatus(rt: Realtime | null): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>(rt ? rt.status : "connecting");
  useEffect(() => {
    if (!rt) return;
    setStatus(rt.status);
    return rt.onStatus(setStatus);
  }, [rt]);
  return status;
}

/**
 * Opens the connection while the user may read the current project's dialogs, and plays the
 * «new request» and «new message» sounds for an operator at their volumes.
 */
export function useLiveConnection(project: ProjectSummary | null, user: User): Realtime | null {
  const [rt, setRt] = useState<Realtime | null>(null);
  const pid = project && canViewDialogs(project.accesses) ? project.id : null;
  const operator = !!project && canAnswer(project.accesses);

  useEffect(() => {
    if (!pid || typeof WebSocket === "undefined") {
      setRt(null);
      return;
    }
    const ticket = () =>
      realtimeTicket(pid).catch((e: unknown) => {
        // No session or no access any more: a new ticket will not come.
        if (e instanceof ApiError && (e.status === 401 || e.status === 403 || e.status === 404)) return null;
        throw e;
      });
    const r = new Realtime({ url: wsUrl(), project: pid, ticket });
    r.start();
    setRt(r);
    const wake = () => r.nudge();
    const onVisible = () => document.visibilityState === "visible" && r.nudge();
    addEventListener("online", wake);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      removeEventListener("online", wake);
      document.removeEventListener("visibilitychange", onVisible);
      r.stop();
    };
  }, [pid]);

  useEffect(() => {
    if (!rt || !operator) return;
    const me = user.id || "";
    return rt.onFrame((f) => {
      const sound = soundFor(f as Parameters<typeof soundFor>[0], me, seenDialogs);
      if (sound) play(sound, (user.volumes || DEFAULT_VOLUMES)[sound] ?? DEFAULT_VOLUMES[sound]);
    });
  }, [rt, operator, user.id, user.volumes]);

  return rt;
}
