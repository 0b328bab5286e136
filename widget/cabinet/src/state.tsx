// Session-wide state shared through contexts: the signed-in user and the current project
// (remembered in localStorage, so a reload opens the same project).
import { createContext } from "preact";
import { useContext, useEffect, useState } from "preact/hooks";
import { listProjects, type ProjectSummary, type User } from "./api";

export interface Session {
  user: User;
  setUser: (u: User) => void;
  /** Changes whenever the avatar does, so <img> URLs skip the cache. */
  avatarVersion: number;
  bumpAvatar: () => void;
}

export const SessionContext = createContext<Session>({ user: { email: "" }, setUser: () => {}, avatarVersion: 0, bumpAvatar: () => {} });
export const useSession = () => useContext(SessionContext);

export interface Projects {
  /** null while loading. */
  list: ProjectSummary[] | null;
  error: unknown;
  current: ProjectSummary | null;
  select: (id: string) => void;
  reload: () => Promise<ProjectSummary[]>;
}

export const ProjectsContext = createContext<Projects>({ list: [], error: null, current: null, select: () => {}, reload: async () => [] });
export const useProjects = () => useContext(ProjectsContext);

const KEY = "beseda.project";

export function storedProject(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function storeProject(id: string) {
  try {
    localStorage.setItem(KEY, id);
  } catch {
    /* private mode: remembered for this page only */
  }
}

/** The stored project if the user still belongs to it, else the first one. */
export function pickCurrent(list: ProjectSummary[], wanted: string | null): ProjectSummary | null {
  return list.find((p) => p.id === wanted) || list[0] || null;
}

/** Hidden from the switcher when the user asked to hide inactive and archived projects. */
export const isInactive = (p: ProjectSummary) => p.tariff_status === "expired";

export function useProjectsState(): Projects {
  const [list, setList] = useState<ProjectSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [wanted, setWanted] = useState<string | null>(storedProject);

  async function reload() {
    try {
      const l = await listProjects();
      setList(l);
      setError(null);
      return l;
    } catch (e) {
      setError(e);
      setList((old) => old || []);
      return [];
    }
  }
  useEffect(() => {
    reload();
  }, []);

  const current = list ? pickCurrent(list, wanted) : null;
  return {
    list,
    error,
    current,
    reload,
    select: (id: string) => {
      storeProject(id);
      setWanted(id);
    },
  };
}
